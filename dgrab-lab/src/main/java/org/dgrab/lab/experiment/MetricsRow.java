package org.dgrab.lab.experiment;

import java.util.List;
import java.util.Locale;

/**
 * One line of {@code metrics.csv}: the state after one epoch of one ordering with one seed.
 *
 * @param order             ordering name (e.g. {@code cd-grab})
 * @param seed              seed (model initialisation, data sharding and ordering)
 * @param epoch             epoch, 1-based (epoch 0 is the untrained model)
 * @param trainLoss         loss over the full training set after the epoch
 * @param testLoss          loss over the test set after the epoch
 * @param testMetric        accuracy (classification) or perplexity (language models) on the test set
 * @param epochSeconds      wall time of the epoch's training (not of the evaluation)
 * @param orderingSeconds   time spent in the ordering strategy during the epoch
 * @param cumulativeSeconds wall time of the run's training up to the end of this epoch: the sum of
 *                          {@code epochSeconds} of epochs 1..epoch (ordering included, evaluations not); 0 at epoch 0
 * @param herdingBound      the parallel herding bound of the epoch's orders on the unit gradients observed during
 *                          the epoch ({@link org.dgrab.core.diagnostics.HerdingMonitor}); NaN where not measured
 *                          (epoch 0, or without {@code --herding-bound}), written as an empty cell
 */
public record MetricsRow(String order, long seed, int epoch, double trainLoss, double testLoss, double testMetric,
                         double epochSeconds, double orderingSeconds, double cumulativeSeconds, double herdingBound) {

    /** The CSV columns, in order; columns added later go at the end, so that readers by position keep working. */
    private static final String[] COLUMNS = {"order", "seed", "epoch", "train_loss", "test_loss", "test_metric",
            "epoch_seconds", "ordering_seconds", "cumulative_seconds", "herding_bound"};

    /** CSV header. */
    public static final String HEADER = String.join(",", COLUMNS);

    /** @return the CSV column names, in order */
    public static String[] columns() {
        return COLUMNS.clone();
    }

    /**
     * @return this row's CSV cells: losses and metric with 6 decimals, times with 4, the herding bound with 6
     *         significant digits (as {@code dgrab herding} writes it) or empty where not measured
     */
    public List<String> csvCells() {
        return List.of(order, Long.toString(seed), Integer.toString(epoch), fixed(trainLoss, 6), fixed(testLoss, 6),
                fixed(testMetric, 6), fixed(epochSeconds, 4), fixed(orderingSeconds, 4), fixed(cumulativeSeconds, 4),
                Double.isNaN(herdingBound) ? "" : String.format(Locale.ROOT, "%.6g", herdingBound));
    }

    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
