package org.dgrab.examples.experiment;

import java.util.Locale;

/**
 * One line of {@code metrics.csv}: the state after one epoch of one ordering with one seed.
 *
 * @param order           ordering name (e.g. {@code cd-grab})
 * @param seed            seed (model initialisation, data sharding and ordering)
 * @param epoch           epoch, 1-based (epoch 0 is the untrained model)
 * @param trainLoss       loss over the full training set after the epoch
 * @param testLoss        loss over the test set after the epoch
 * @param testMetric      accuracy (classification) or perplexity (language models) on the test set
 * @param epochSeconds    wall time of the epoch's training (not of the evaluation)
 * @param orderingSeconds time spent in the ordering strategy during the epoch
 */
public record MetricsRow(String order, long seed, int epoch, double trainLoss, double testLoss, double testMetric,
                         double epochSeconds, double orderingSeconds) {

    /** CSV header. */
    public static final String HEADER = "order,seed,epoch,train_loss,test_loss,test_metric,epoch_seconds,ordering_seconds";

    /** @return this row as CSV */
    public String toCsv() {
        return String.format(Locale.ROOT, "%s,%d,%d,%.6f,%.6f,%.6f,%.4f,%.4f", order, seed, epoch, trainLoss, testLoss,
                testMetric, epochSeconds, orderingSeconds);
    }
}
