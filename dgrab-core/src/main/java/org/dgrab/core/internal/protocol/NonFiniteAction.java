package org.dgrab.core.internal.protocol;

/**
 * What a worker does with a pair difference that is not finite, decided by the ordering that owns the worker (its
 * {@code NonFinitePolicy}): throw, or return to have the pair skipped. The protocol knows neither the policy nor the
 * public exception, so that it depends on nothing above it.
 */
@FunctionalInterface
public interface NonFiniteAction {
    /**
     * Called before anything changes; throwing leaves the worker as it was, returning skips the pair (sign +1, no
     * running sum).
     *
     * @param worker the worker id
     * @param epoch  the epoch
     * @param step   the step of the bad gradient
     * @param unit   the unit visited at that step
     * @param where  what is not finite, e.g. "gradient has a non-finite value at index 3"
     */
    void onNonFinite(int worker, int epoch, int step, int unit, String where);
}
