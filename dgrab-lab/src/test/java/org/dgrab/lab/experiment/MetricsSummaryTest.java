package org.dgrab.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Tests {@link MetricsSummary}: sorting of rows and the aggregates over seeds. */
class MetricsSummaryTest {

    @Test
    void summaryAggregatesOverSeedsAndSortsRows() {
        List<MetricsRow> rows = List.of(
                new MetricsRow("d-rr", 1, 1, 0.4, 0, 0.8, 1, 0, 1, Double.NaN),
                new MetricsRow("cd-grab", 0, 1, 0.2, 0, 0.9, 1, 0.1, 1, Double.NaN),
                new MetricsRow("cd-grab", 1, 1, 0.4, 0, 0.7, 3, 0.3, 3, Double.NaN),
                new MetricsRow("cd-grab", 0, 0, 2.0, 0, 0.1, 0, 0, 0, Double.NaN),
                new MetricsRow("d-rr", 0, 1, 0.6, 0, 0.6, 1, 0, 1, Double.NaN));
        List<MetricsRow> sorted = MetricsSummary.sorted(rows, List.of("cd-grab", "d-rr"), List.of(0L, 1L));
        assertEquals(List.of(rows.get(3), rows.get(1), rows.get(2), rows.get(4), rows.get(0)), sorted);
        MetricsSummary s = new MetricsSummary(sorted);
        assertEquals(List.of("cd-grab", "d-rr"), s.orders());
        MetricsSummary.Series loss = s.series("cd-grab", MetricsRow::trainLoss);
        assertEquals(2, loss.epochs().length);
        assertEquals(2.0, loss.mean()[0], 1e-12);
        assertEquals(0.3, loss.mean()[1], 1e-12);
        assertEquals(0.2, loss.min()[1], 1e-12);
        assertEquals(0.4, loss.max()[1], 1e-12);
        assertEquals(2, loss.seeds()[1]);
        assertEquals(0.3, loss.last(), 1e-12);
        assertEquals(2.0, s.meanOverTrainedEpochs("cd-grab", MetricsRow::epochSeconds), 1e-12, "epoch 0 left out");
    }

    /**
     * Rows of one ordering: per seed its train losses at epochs 0..E and its epoch seconds at epochs 1..E (the
     * cumulative seconds are summed here, as the experiment does).
     */
    private static List<MetricsRow> run(String order, double[][] losses, double[][] seconds) {
        List<MetricsRow> rows = new ArrayList<>();
        for (int seed = 0; seed < losses.length; seed++) {
            double cumulative = 0;
            for (int e = 0; e < losses[seed].length; e++) {
                double s = e == 0 ? 0 : seconds[seed][e - 1];
                cumulative += s;
                rows.add(new MetricsRow(order, seed, e, losses[seed][e], 0, 0, s, 0, cumulative, Double.NaN));
            }
        }
        return rows;
    }

    private static double fraction(Map<String, Optional<MetricsSummary.Reached>> t, String order) {
        return t.get(order).orElseThrow(() -> new AssertionError(order + " should reach the target: " + t))
                .fraction();
    }

    @Test
    void timeToFinalLossIsMeasuredOnTheSeedMeans() {
        List<MetricsRow> rows = new ArrayList<>();
        // d-rr: mean losses 2, 1.0, 0.7, 0.5 (target 0.5); mean cumulative seconds 0, 1, 2, 4 (total 4).
        rows.addAll(run("d-rr", new double[][] {{2, 1.2, 0.8, 0.6}, {2, 0.8, 0.6, 0.4}},
                new double[][] {{1, 1, 2}, {1, 1, 2}}));
        // cd-grab reaches 0.5 mid-run: mean losses 2, 0.9, 0.5, 0.3 at mean cumulative 0, 1.5, 3, 4.5. One seed
        // alone is below the target at epoch 1 (0.4), but the mean is not: reaching is decided on the means.
        rows.addAll(run("cd-grab", new double[][] {{2, 0.4, 0.5, 0.3}, {2, 1.4, 0.5, 0.3}},
                new double[][] {{1, 1, 1}, {2, 2, 2}}));
        // id-grab-pair reaches it only at its last epoch, later than d-rr's total: fraction above 1.
        rows.addAll(run("id-grab-pair", new double[][] {{2, 1, 0.6, 0.5}, {2, 1, 0.6, 0.5}},
                new double[][] {{2, 2, 2}, {2, 2, 2}}));
        // id-grab-mean never gets there.
        rows.addAll(run("id-grab-mean", new double[][] {{2, 1, 0.6, 0.51}, {2, 1, 0.6, 0.51}},
                new double[][] {{1, 1, 1}, {1, 1, 1}}));
        Map<String, Optional<MetricsSummary.Reached>> t = new MetricsSummary(rows).timeToFinalLoss("d-rr");
        assertEquals(List.of("d-rr", "cd-grab", "id-grab-pair", "id-grab-mean"), List.copyOf(t.keySet()));
        assertEquals(1.0, fraction(t, "d-rr"), 1e-12, "d-rr reaches its final loss at its last epoch");
        assertEquals(3, t.get("d-rr").orElseThrow().epoch());
        assertEquals(0.75, fraction(t, "cd-grab"), 1e-12, "3 s of d-rr's 4");
        assertEquals(2, t.get("cd-grab").orElseThrow().epoch());
        assertEquals(3.0, t.get("cd-grab").orElseThrow().seconds(), 1e-12);
        assertEquals(1.5, fraction(t, "id-grab-pair"), 1e-12, "6 s of d-rr's 4");
        assertTrue(t.get("id-grab-mean").isEmpty(), "never reached: " + t);
    }

    @Test
    void theReferenceItselfCountsItsFirstEpochAtItsFinalLoss() {
        // d-rr is at 0.5 already at epoch 2 and ends there again at epoch 3: honestly, 2 s of 4.
        List<MetricsRow> rows = run("d-rr", new double[][] {{2, 1, 0.5, 0.5}}, new double[][] {{1, 1, 2}});
        Map<String, Optional<MetricsSummary.Reached>> t = new MetricsSummary(rows).timeToFinalLoss("d-rr");
        assertEquals(List.of("d-rr"), List.copyOf(t.keySet()), "one ordering only: d-rr against itself");
        assertEquals(0.5, fraction(t, "d-rr"), 1e-12);
        assertEquals(2, t.get("d-rr").orElseThrow().epoch());
    }

    @Test
    void withoutTheReferenceOrAfterItDivergedNothingIsReached() {
        List<MetricsRow> cd = run("cd-grab", new double[][] {{2, 1, 0.5}}, new double[][] {{1, 1}});
        assertTrue(new MetricsSummary(cd).timeToFinalLoss("d-rr").isEmpty(), "one ordering only, no d-rr");
        List<MetricsRow> rows = new ArrayList<>(cd);
        rows.addAll(run("d-rr", new double[][] {{2, 1, Double.NaN}}, new double[][] {{1, 1}}));
        Map<String, Optional<MetricsSummary.Reached>> t = new MetricsSummary(rows).timeToFinalLoss("d-rr");
        assertTrue(t.get("cd-grab").isEmpty() && t.get("d-rr").isEmpty(), "a NaN target is never reached: " + t);
    }
}
