package org.dgrab.core;

/**
 * Counters of an {@link OrderingStrategy} since it was created (or since the state a checkpoint restored), read
 * through {@link OrderingStrategy#stats()} so that callers need not know which strategy they hold. Immutable: a
 * snapshot taken at the call.
 *
 * @param skippedUnits units (or pairs of units) whose gradients were skipped under {@link NonFinitePolicy#SKIP}
 * @param reports      worker-to-coordinator messages of a distributed ordering (CD-GraB's pair reports); 0 for
 *                     orderings that send none
 * @param reportBytes  wire bytes of those reports
 * @param replies      coordinator-to-worker messages (CD-GraB's sign replies); 0 for orderings that send none
 * @param replyBytes   wire bytes of those replies
 */
public record OrderingStats(long skippedUnits, long reports, long reportBytes, long replies, long replyBytes) {
    /** All counters zero. */
    public static final OrderingStats NONE = new OrderingStats(0, 0, 0, 0, 0);

    /**
     * @throws IllegalArgumentException if a counter is negative
     */
    public OrderingStats {
        if (skippedUnits < 0 || reports < 0 || reportBytes < 0 || replies < 0 || replyBytes < 0) {
            throw new IllegalArgumentException("counters must be >= 0, got skippedUnits=" + skippedUnits
                    + ", reports=" + reports + ", reportBytes=" + reportBytes + ", replies=" + replies
                    + ", replyBytes=" + replyBytes);
        }
    }

    /**
     * @param skipped the skipped units
     * @return counters of an ordering that sends no messages
     */
    public static OrderingStats local(long skipped) {
        return new OrderingStats(skipped, 0, 0, 0, 0);
    }

    /** @return messages in both directions */
    public long messages() {
        return reports + replies;
    }

    /** @return wire bytes in both directions */
    public long bytes() {
        return reportBytes + replyBytes;
    }
}
