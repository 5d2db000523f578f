package org.dgrab.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.util.AccumulatorV2;

/**
 * A Spark accumulator that carries {@link StepReport}s from the executors' tasks back to the driver with the tasks'
 * results, deduplicated by {@link ReportKey}: when Spark runs a task twice (a retry after a failure, a speculative
 * copy, a recomputed stage) the same key arrives twice and only the first report is kept. This is Spark's own
 * channel for task side results: nothing of ours opens a connection.
 *
 * <p>On the driver the trainer {@link #drain() drains} it after each job.
 */
final class ReportAccumulator extends AccumulatorV2<StepReport, List<StepReport>> {
    private static final long serialVersionUID = 1L;

    private final Map<ReportKey, StepReport> reports = new HashMap<>();
    private long duplicates;

    @Override
    public synchronized boolean isZero() {
        return reports.isEmpty() && duplicates == 0;
    }

    @Override
    public synchronized AccumulatorV2<StepReport, List<StepReport>> copy() {
        ReportAccumulator c = new ReportAccumulator();
        c.reports.putAll(reports);
        c.duplicates = duplicates;
        return c;
    }

    @Override
    public synchronized void reset() {
        reports.clear();
        duplicates = 0;
    }

    @Override
    public synchronized void add(StepReport r) {
        if (reports.putIfAbsent(r.key(), r) != null) {
            duplicates++;
        }
    }

    @Override
    public void merge(AccumulatorV2<StepReport, List<StepReport>> other) {
        if (!(other instanceof ReportAccumulator)) {
            throw new UnsupportedOperationException("cannot merge " + other.getClass().getName() + " into "
                    + ReportAccumulator.class.getSimpleName());
        }
        ReportAccumulator o = (ReportAccumulator) other;
        Map<ReportKey, StepReport> theirs;
        long theirDuplicates;
        synchronized (o) {
            theirs = new HashMap<>(o.reports);
            theirDuplicates = o.duplicates;
        }
        synchronized (this) {
            duplicates += theirDuplicates;
            for (StepReport r : theirs.values()) {
                add(r);
            }
        }
    }

    @Override
    public synchronized List<StepReport> value() {
        return new ArrayList<>(reports.values());
    }

    /**
     * Takes every report collected so far and empties the accumulator (driver side, after a job).
     *
     * @return the reports, in no particular order
     */
    public synchronized List<StepReport> drain() {
        List<StepReport> out = new ArrayList<>(reports.values());
        reports.clear();
        return out;
    }

    /** @return how many duplicate reports were dropped so far */
    public synchronized long duplicates() {
        return duplicates;
    }
}
