package org.dgrab.examples.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Tests {@link MetricsSummary}: sorting of rows and the aggregates over seeds. */
class MetricsSummaryTest {

    @Test
    void summaryAggregatesOverSeedsAndSortsRows() {
        List<MetricsRow> rows = List.of(
                new MetricsRow("d-rr", 1, 1, 0.4, 0, 0.8, 1, 0),
                new MetricsRow("cd-grab", 0, 1, 0.2, 0, 0.9, 1, 0.1),
                new MetricsRow("cd-grab", 1, 1, 0.4, 0, 0.7, 3, 0.3),
                new MetricsRow("cd-grab", 0, 0, 2.0, 0, 0.1, 0, 0),
                new MetricsRow("d-rr", 0, 1, 0.6, 0, 0.6, 1, 0));
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
}
