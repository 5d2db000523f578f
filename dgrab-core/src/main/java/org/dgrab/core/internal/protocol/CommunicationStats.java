package org.dgrab.core.internal.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the messages and bytes a {@link Transport} carries, so that the communication cost of an ordering can be
 * reported. Thread-safe.
 */
public final class CommunicationStats {
    private final AtomicLong reports = new AtomicLong();
    private final AtomicLong reportBytes = new AtomicLong();
    private final AtomicLong replies = new AtomicLong();
    private final AtomicLong replyBytes = new AtomicLong();

    /**
     * Counts one worker-to-coordinator report.
     *
     * @param bytes its size on the wire
     */
    public void countReport(long bytes) {
        reports.incrementAndGet();
        reportBytes.addAndGet(bytes);
    }

    /**
     * Counts one coordinator-to-worker reply.
     *
     * @param bytes its size on the wire
     */
    public void countReply(long bytes) {
        replies.incrementAndGet();
        replyBytes.addAndGet(bytes);
    }

    /** @return reports sent */
    public long reports() {
        return reports.get();
    }

    /** @return bytes of all reports */
    public long reportBytes() {
        return reportBytes.get();
    }

    /** @return replies sent */
    public long replies() {
        return replies.get();
    }

    /** @return bytes of all replies */
    public long replyBytes() {
        return replyBytes.get();
    }

    /** @return messages in both directions */
    public long messages() {
        return reports() + replies();
    }

    /** @return bytes in both directions */
    public long bytes() {
        return reportBytes() + replyBytes();
    }

    /**
     * Sets all counters (checkpoint restore).
     *
     * @param values reports, report bytes, replies, reply bytes
     */
    public void setAll(long... values) {
        reports.set(values[0]);
        reportBytes.set(values[1]);
        replies.set(values[2]);
        replyBytes.set(values[3]);
    }

    @Override
    public String toString() {
        return reports() + " reports (" + reportBytes() + " B), " + replies() + " replies (" + replyBytes() + " B)";
    }
}
