package org.dgrab.dl4j.trainer;

import java.util.function.Supplier;

import org.dgrab.dl4j.internal.model.ModelAdapter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What an all-reduce does at the end of a synchronous step: the workers' gradients summed into the trained model's
 * gradient array, except that running statistics (BatchNorm's mean and variance estimates, see
 * {@link ModelAdapter#statisticRanges()}) are per-batch updates, so n workers' updates are averaged, as parameter
 * averaging would. Additions run in worker order, so every mode gives the same bits.
 *
 * <p>Call order per step: {@link #add} for each worker that computed, in worker order, each before that worker's
 * gradient array is overwritten; then {@link #finish()}, after which the model's gradient array holds the result.
 */
final class GradientSum {
    private final ModelAdapter master;
    private final int workers;
    private final long[][] statisticRanges;
    /** Where the sum is formed. */
    private final Target target;
    private INDArray separate;
    /** The array whose flat view and statistics views are cached. */
    private INDArray viewed;
    private INDArray flat;
    private INDArray[] statistics;
    private int added;
    /** The single gradient of a one-worker step, which may lie in a replica. */
    private INDArray single;
    /** The first gradient added is the trained model's own gradient array. */
    private boolean firstInModel;

    /**
     * Where the sum is formed: one type per mode, so that the in-place mode carries the array's supplier and the
     * separate mode carries nothing (rather than a supplier that is null).
     */
    private sealed interface Target {
        /** In an array of the sum's own, copied into the model's gradient array by {@code finish()}. */
        record Separate() implements Target {
        }

        /**
         * In the trained model's gradient array, where worker 0's gradient already is.
         *
         * @param array returns that array once it may be written
         */
        record InPlace(Supplier<INDArray> array) implements Target {
        }
    }

    private GradientSum(ModelAdapter master, int workers, Target target) {
        this.master = master;
        this.workers = workers;
        this.statisticRanges = master.statisticRanges();
        this.target = target;
    }

    /**
     * A sum in an array of its own, copied into the model's gradient at the end (or not at all when the only
     * gradient was computed in the model itself).
     *
     * @param master  the trained model
     * @param workers number of workers
     * @return the sum
     */
    static GradientSum separate(ModelAdapter master, int workers) {
        return new GradientSum(master, workers, new Target.Separate());
    }

    /**
     * A sum formed in place in the trained model's gradient array, where worker 0's gradient already is.
     *
     * @param master  the trained model
     * @param workers number of workers
     * @param target  returns the model's gradient array once nothing else reads it (it may wait for that)
     * @return the sum
     */
    static GradientSum inPlace(ModelAdapter master, int workers, Supplier<INDArray> target) {
        return new GradientSum(master, workers, new Target.InPlace(target));
    }

    /**
     * Adds one worker's gradient.
     *
     * @param gradient the worker's gradient, as its model's {@link ModelAdapter#gradientVector()} (read now)
     */
    void add(INDArray gradient) {
        if (workers == 1) {
            single = gradient;
            return;
        }
        boolean inModel = gradient == master.gradientVector();
        if (added == 0) {
            firstInModel = inModel;
        }
        if (target instanceof Target.InPlace && inModel) {
            // Worker 0's gradient: already where the sum is formed.
            added++;
            return;
        }
        INDArray sum = viewsOf(target instanceof Target.InPlace p ? p.array().get() : separateFor(gradient));
        INDArray g = gradient.rank() == 1 ? gradient : gradient.reshape(gradient.length());
        if (added == 0) {
            sum.assign(g);
        } else {
            sum.addi(g);
        }
        added++;
    }

    /** Averages the running statistics over the workers that computed and leaves the sum in the model. */
    void finish() {
        INDArray vector = master.gradientVector();
        if (workers == 1) {
            if (single != null && single != vector) {
                vector.assign(single);
            }
        } else if (added > 1 || (added == 1 && (!firstInModel || target instanceof Target.InPlace))) {
            INDArray summed = viewsOf(target instanceof Target.InPlace p ? p.array().get() : separate);
            for (INDArray s : statistics) {
                s.divi(added);
            }
            if (target instanceof Target.Separate) {
                // Into the array itself even where it is not a contiguous vector (a reshape would copy it).
                vector.assign(summed);
            }
        }
        // else: a lone gradient computed in the model itself is already where it belongs.
        added = 0;
        single = null;
    }

    private INDArray separateFor(INDArray gradient) {
        if (separate == null) {
            separate = Nd4j.create(gradient.dataType(), gradient.length());
        }
        return separate;
    }

    /** The rank-1 view of the array summed into, with views over its running statistics, made once per array. */
    private INDArray viewsOf(INDArray array) {
        if (array != viewed) {
            viewed = array;
            flat = array.reshape(array.length());
            statistics = new INDArray[statisticRanges.length];
            for (int i = 0; i < statistics.length; i++) {
                long[] r = statisticRanges[i];
                statistics[i] = flat.get(NDArrayIndex.interval(r[0], r[0] + r[1]));
            }
        }
        return flat;
    }
}
