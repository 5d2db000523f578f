package org.dgrab.lab.bench;

import org.dgrab.core.OrderingStrategy;

/**
 * A cost floor for {@code dgrab cost --floors}: asks for gradients and ignores them, with the wrapped gradient-free
 * ordering's orders. Run through the trainer's asynchronous path (batch units), its overhead is that path's own
 * machinery: workers 1..n-1 computing into replicas' gradient arrays instead of one array, the hand-off of every
 * gradient to the ordering thread, and the waits for it; no ordering work at all. Not an ordering anyone should
 * train with.
 */
public final class HandOffFloor extends CostFloor {

    /**
     * @param delegate a gradient-free ordering (its orders are used unchanged)
     * @throws IllegalArgumentException if {@code delegate} uses gradients
     */
    public HandOffFloor(OrderingStrategy delegate) {
        super(delegate);
    }

    @Override
    protected OrderingStrategy wrap(OrderingStrategy fresh) {
        return new HandOffFloor(fresh);
    }
}
