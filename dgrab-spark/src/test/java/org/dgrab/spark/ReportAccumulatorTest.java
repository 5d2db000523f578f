package org.dgrab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Deduplication by (epoch, worker, step): a retried or speculative task's reports count once. */
class ReportAccumulatorTest {

    private static StepReport report(int epoch, int worker, int step, float value) {
        return new StepReport(new ReportKey(epoch, worker, step), 1.0, 4, Nd4j.createFromArray(value, value));
    }

    @Test
    void aKeyReportedTwiceCountsOnceAndTheFirstReportWins() {
        ReportAccumulator driver = new ReportAccumulator();
        driver.add(report(0, 1, 2, 1f));
        ReportAccumulator retry = new ReportAccumulator();
        retry.add(report(0, 1, 2, 5f));
        retry.add(report(0, 1, 3, 1f));
        retry.add(report(0, 1, 3, 1f));
        driver.merge(retry);
        List<StepReport> all = driver.drain();
        assertEquals(2, all.size());
        assertEquals(2, driver.duplicates());
        StepReport kept = all.stream().filter(r -> r.key().step() == 2).findFirst().orElseThrow();
        assertEquals(1f, kept.vector().getFloat(0), "the first report of a key is kept");
        assertTrue(driver.value().isEmpty(), "drained");
        assertTrue(new ReportAccumulator().isZero());
    }

    @Test
    void keysSortInCanonicalOrder() {
        List<ReportKey> keys = new java.util.ArrayList<>(List.of(new ReportKey(0, 1, 0), new ReportKey(0, 0, 1),
                new ReportKey(0, 0, 0), new ReportKey(1, 0, 0)));
        java.util.Collections.sort(keys);
        assertEquals(List.of(new ReportKey(0, 0, 0), new ReportKey(0, 1, 0), new ReportKey(0, 0, 1),
                new ReportKey(1, 0, 0)), keys);
    }
}
