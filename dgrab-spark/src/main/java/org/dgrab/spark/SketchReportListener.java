package org.dgrab.spark;

import java.io.Serializable;
import java.util.function.Predicate;

import org.apache.spark.TaskContext;
import org.dgrab.core.internal.balance.CountSketch;
import org.dgrab.core.internal.balance.NdVectorBuffer;
import org.dgrab.core.internal.balance.VectorRef;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DL4J listener that runs inside every Spark training task: at each gradient calculation (one per step, before
 * the updater) it count-sketches the worker's gradient and adds a {@link StepReport} to the {@link ReportAccumulator},
 * which Spark returns to the driver with the task.
 *
 * <p>DL4J serializes the listeners of a Spark network into each task, so every task works on its own copy (the
 * driver's copy is never called); the trainer sets {@link #setWindow} before each job. The worker is the task's
 * partition (partitions are never repartitioned), the step is the window's first step plus the number of steps
 * this task attempt has seen. The sketch depends only on (seed, d, k) and is rebuilt on the executor, never
 * shipped.
 */
final class SketchReportListener extends BaseTrainingListener implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ReportAccumulator reports;
    private final boolean gradients;
    private final long seed;
    private final int sketchDim;
    /** Test hook: reports whose key matches are not sent (a worker whose reports go missing); null otherwise. */
    private final DropFilter drop;
    /** Test hook: also receives every step's full gradient, to compare with an in-process strategy; null otherwise. */
    private final ReportAccumulator fullGradients;
    private int epoch;
    private int fromStep;

    private transient CountSketch sketch;
    private transient long attempt = -1;
    private transient int seen;
    private transient CountSketch.Scratch scratch;

    /** A serializable choice of reports not to send (tests of missing reports). */
    interface DropFilter extends Predicate<ReportKey>, Serializable {
    }

    /**
     * @param reports   the registered accumulator
     * @param gradients whether the ordering uses gradients (else reports carry only the loss)
     * @param seed      the ordering's seed (the sketch's seed, as in-process)
     * @param sketchDim sketch dimension k, or 0 to report full gradients
     * @param drop      test hook, or null
     * @param fullGradients test hook, or null
     */
    SketchReportListener(ReportAccumulator reports, boolean gradients, long seed, int sketchDim,
                         DropFilter drop, ReportAccumulator fullGradients) {
        this.fullGradients = fullGradients;
        this.reports = reports;
        this.gradients = gradients;
        this.seed = seed;
        this.sketchDim = sketchDim;
        this.drop = drop;
    }

    /**
     * Sets what the next job's tasks report as: read when the listener is serialized into the job.
     *
     * @param epoch    the epoch
     * @param fromStep the first step of the window the job trains
     */
    void setWindow(int epoch, int fromStep) {
        this.epoch = epoch;
        this.fromStep = fromStep;
    }

    @Override
    public void onGradientCalculation(Model model) {
        TaskContext task = TaskContext.get();
        if (task == null) {
            throw new IllegalStateException("the dgrab report listener runs inside Spark tasks only; it was called "
                    + "outside one (a Spark network's driver-side listeners are never called by DL4J)");
        }
        if (task.taskAttemptId() != attempt) {
            attempt = task.taskAttemptId();
            seen = 0;
        }
        ReportKey key = new ReportKey(epoch, task.partitionId(), fromStep + seen);
        seen++;
        if (drop != null && drop.test(key)) {
            return;
        }
        if (fullGradients != null) {
            fullGradients.add(new StepReport(key, model.score(), (int) model.batchSize(), flatGradient(model)));
        }
        INDArray vector = gradients ? vectorOf(flatGradient(model)) : null;
        reports.add(new StepReport(key, model.score(), (int) model.batchSize(), vector));
    }

    private INDArray vectorOf(INDArray g) {
        if (sketchDim == 0) {
            return g;
        }
        int d = (int) g.length();
        if (sketch == null || sketch.inputDim() != d) {
            sketch = new CountSketch(seed, d, sketchDim);
            scratch = new CountSketch.Scratch();
        }
        // The same call as an in-process strategy with optSketchDim(k): double sums rounded to the gradient's type.
        NdVectorBuffer out = new NdVectorBuffer(g.dataType(), sketchDim);
        sketch.apply(new VectorRef().set(g), out, scratch);
        return out.array();
    }

    private static INDArray flatGradient(Model model) {
        INDArray g = model instanceof MultiLayerNetwork ? ((MultiLayerNetwork) model).getFlattenedGradients()
                : model instanceof ComputationGraph ? ((ComputationGraph) model).getFlattenedGradients() : null;
        if (g == null) {
            throw new IllegalStateException("no flattened gradient on " + model.getClass().getName()
                    + " at the gradient calculation; dgrab-spark trains MultiLayerNetwork and ComputationGraph");
        }
        return g;
    }
}
