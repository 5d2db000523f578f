package org.dgrab.lab.bench;

import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.strategy.ForwardingOrderingStrategy;

/**
 * Base of the cost floors of {@code dgrab cost --floors}: wraps a gradient-free ordering, keeps its orders, and asks
 * the trainer for gradients so that a subclass can do part of a pair ordering's work with them.
 */
public abstract class CostFloor extends ForwardingOrderingStrategy {

    /**
     * @param delegate a gradient-free ordering (its orders are used unchanged)
     * @throws IllegalArgumentException if {@code delegate} uses gradients (the floor would add to its cost)
     */
    protected CostFloor(OrderingStrategy delegate) {
        super(delegate);
        if (delegate.needsGradients()) {
            throw new IllegalArgumentException("a cost floor wraps a gradient-free ordering, got " + delegate.config().kind().id());
        }
    }

    /** @return true: the trainer captures and hands over every gradient, as for a gradient ordering */
    @Override
    public final boolean needsGradients() {
        return true;
    }
}
