package org.dgrab.lab.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

import org.apache.commons.math3.stat.StatUtils;

/**
 * {@link MetricsRow}s of several orderings and seeds, aggregated over seeds: per ordering and epoch the mean,
 * minimum and maximum of a metric. Orderings keep the order of their first row.
 */
public final class MetricsSummary {

    /**
     * One metric of one ordering, per epoch, over seeds.
     *
     * @param epochs epochs, ascending
     * @param mean   mean over seeds at each epoch
     * @param min    minimum over seeds
     * @param max    maximum over seeds
     * @param seeds  number of seeds that reached each epoch
     */
    public record Series(double[] epochs, double[] mean, double[] min, double[] max, int[] seeds) {
        /** @return the mean at the last epoch */
        public double last() {
            return mean[mean.length - 1];
        }
    }

    private final Map<String, List<MetricsRow>> byOrder = new LinkedHashMap<>();

    /**
     * @param rows rows of any orderings, seeds and epochs, in any order
     */
    public MetricsSummary(List<MetricsRow> rows) {
        for (MetricsRow r : rows) {
            byOrder.computeIfAbsent(r.order(), k -> new ArrayList<>()).add(r);
        }
    }

    /** @return the orderings, in the order of their first row */
    public List<String> orders() {
        return List.copyOf(byOrder.keySet());
    }

    /**
     * Aggregates a metric of one ordering.
     *
     * @param order  ordering name
     * @param metric which value, e.g. {@code MetricsRow::trainLoss}
     * @return the metric per epoch over seeds
     * @throws IllegalArgumentException for an ordering without rows
     */
    public Series series(String order, ToDoubleFunction<MetricsRow> metric) {
        List<MetricsRow> rows = byOrder.get(order);
        if (rows == null) {
            throw new IllegalArgumentException("no rows for ordering " + order + "; have " + byOrder.keySet());
        }
        TreeMap<Integer, List<Double>> perEpoch = new TreeMap<>();
        for (MetricsRow r : rows) {
            perEpoch.computeIfAbsent(r.epoch(), k -> new ArrayList<>()).add(metric.applyAsDouble(r));
        }
        int n = perEpoch.size();
        double[] epochs = new double[n];
        double[] mean = new double[n];
        double[] min = new double[n];
        double[] max = new double[n];
        int[] seeds = new int[n];
        int i = 0;
        for (Map.Entry<Integer, List<Double>> e : perEpoch.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            epochs[i] = e.getKey();
            mean[i] = StatUtils.mean(v);
            min[i] = StatUtils.min(v);
            max[i] = StatUtils.max(v);
            seeds[i] = v.length;
            i++;
        }
        return new Series(epochs, mean, min, max, seeds);
    }

    /**
     * Mean of a per-epoch cost (e.g. {@code MetricsRow::epochSeconds}) over the trained epochs (epoch 0, the
     * untrained model, excluded) of every seed.
     *
     * @param order  ordering name
     * @param metric which value
     * @return the mean, or NaN without trained epochs
     */
    public double meanOverTrainedEpochs(String order, ToDoubleFunction<MetricsRow> metric) {
        double[] v = byOrder.getOrDefault(order, List.of()).stream().filter(r -> r.epoch() > 0)
                .mapToDouble(metric).toArray();
        return v.length == 0 ? Double.NaN : StatUtils.mean(v);
    }

    /**
     * When an ordering first reached a target loss, in the seed means.
     *
     * @param epoch    the first epoch (0 = the initial model) whose mean train loss over seeds is at or below the
     *                 target
     * @param seconds  the mean over seeds of the cumulative training seconds at that epoch
     * @param fraction {@code seconds} as a fraction of the reference ordering's mean total training seconds
     */
    public record Reached(int epoch, double seconds, double fraction) {
    }

    /**
     * Time to accuracy against a reference ordering (D-RR in the training commands): for every ordering, the
     * training time it took to reach the reference's final train loss, as a fraction of the reference's own total
     * training time. All values are means over seeds, epoch by epoch: the target is the reference's mean train loss
     * at its last epoch, an ordering reaches it at the first epoch (the initial model, epoch 0, included) whose mean
     * train loss is at or below it, and its time is its mean {@link MetricsRow#cumulativeSeconds()} at that epoch.
     * Losses are known only at epoch ends, so the time is that of the end of the epoch that got there, not
     * interpolated. The reference's own fraction is 1 when it gets to its final loss at its last epoch and less when
     * an earlier epoch was as low.
     *
     * @param reference the reference ordering's name, e.g. {@code d-rr}
     * @return per ordering (in {@link #orders()} order), when it reached the target, or empty where it never did
     *         (or the target or the reference's time is not a positive finite number, as after a divergence); an
     *         empty map if the reference has no rows
     */
    public Map<String, Optional<Reached>> timeToFinalLoss(String reference) {
        Map<String, Optional<Reached>> out = new LinkedHashMap<>();
        if (!byOrder.containsKey(reference)) {
            return out;
        }
        double target = series(reference, MetricsRow::trainLoss).last();
        double total = series(reference, MetricsRow::cumulativeSeconds).last();
        for (String o : orders()) {
            Optional<Reached> reached = Optional.empty();
            if (Double.isFinite(target) && Double.isFinite(total) && total > 0) {
                Series loss = series(o, MetricsRow::trainLoss);
                Series time = series(o, MetricsRow::cumulativeSeconds);
                for (int i = 0; i < loss.mean().length && reached.isEmpty(); i++) {
                    if (loss.mean()[i] <= target) {
                        reached = Optional.of(new Reached((int) loss.epochs()[i], time.mean()[i],
                                time.mean()[i] / total));
                    }
                }
            }
            out.put(o, reached);
        }
        return out;
    }

    /**
     * Sorts rows for a CSV that reads well: by ordering (in {@code orders} order), then seed (in {@code seeds}
     * order), then epoch.
     *
     * @param rows   the rows
     * @param orders orderings, in report order
     * @param seeds  seeds, in report order
     * @return a sorted copy
     */
    public static List<MetricsRow> sorted(List<MetricsRow> rows, List<String> orders, List<Long> seeds) {
        List<MetricsRow> out = new ArrayList<>(rows);
        out.sort(Comparator.<MetricsRow>comparingInt(r -> index(orders, r.order()))
                .thenComparingInt(r -> index(seeds, r.seed()))
                .thenComparingInt(MetricsRow::epoch));
        return out;
    }

    private static <T> int index(List<T> list, T value) {
        int i = list.indexOf(value);
        return i < 0 ? Integer.MAX_VALUE : i;
    }
}
