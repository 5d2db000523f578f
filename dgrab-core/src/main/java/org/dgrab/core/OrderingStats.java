package org.dgrab.core;

/**
 * Counters of an {@link OrderingStrategy} since it was created (or since the state a checkpoint restored), read
 * through {@link OrderingStrategy#stats()} so that callers need not know which strategy they hold. Immutable: a
 * snapshot taken at the call.
 *
 * @param skippedUnits units (or pairs of units) whose gradients were skipped under {@link NonFinitePolicy#SKIP}
 * @param messages     messages a distributed ordering exchanged between workers and coordinator, both directions;
 *                     0 for orderings that send none
 * @param bytes        wire bytes of those messages; 0 for orderings that send none
 */
public record OrderingStats(long skippedUnits, long messages, long bytes) {
    /** All counters zero. */
    public static final OrderingStats NONE = new OrderingStats(0, 0, 0);

    /**
     * @throws IllegalArgumentException if a counter is negative
     */
    public OrderingStats {
        if (skippedUnits < 0 || messages < 0 || bytes < 0) {
            throw new IllegalArgumentException("counters must be >= 0, got skippedUnits=" + skippedUnits
                    + ", messages=" + messages + ", bytes=" + bytes);
        }
    }
}
