package org.dgrab.spark;

import java.io.Serializable;

/**
 * Identifies one step report: the epoch, the worker (Spark partition) and the step in that worker's order. A
 * retried or speculative task produces a report with the same key again; the driver keeps the first and ignores
 * the others.
 *
 * @param epoch  the epoch, from 0
 * @param worker the worker, which is the partition index of its shard
 * @param step   the position in the worker's order of the epoch
 */
record ReportKey(int epoch, int worker, int step) implements Serializable, Comparable<ReportKey> {
    private static final long serialVersionUID = 1L;

    /** Canonical order: epoch, then step, then worker (the order in which the coordinator balances). */
    @Override
    public int compareTo(ReportKey o) {
        int c = Integer.compare(epoch, o.epoch);
        if (c == 0) {
            c = Integer.compare(step, o.step);
        }
        return c != 0 ? c : Integer.compare(worker, o.worker);
    }

    @Override
    public String toString() {
        return "(epoch " + epoch + ", worker " + worker + ", step " + step + ")";
    }
}
