package org.dgrab.dl4j.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * One synchronous step of {@link DataParallelTrainer} with three workers against a hand computation: every
 * worker's summed batch gradient from a cloned network, averaged over all examples of the step as DL4J does, and
 * the updater rule applied by hand. The shards are uneven (38 examples over 3 workers, 4 per batch): batch units
 * include short ones, and with per-example units the last step has only two active workers with one example each.
 */
class HandComputedStepTest {
    private static final int WORKERS = 3;
    private static final int BATCH = 4;
    private static final double LR = 0.1;

    @Test
    void sgdStepsEqualHandComputation() {
        run(new Sgd(LR), 0, 0, Granularity.BATCH);
    }

    @Test
    void sgdWithL2StepsEqualHandComputation() {
        run(new Sgd(LR), 0.05, 0, Granularity.BATCH);
    }

    @Test
    void nesterovsStepsEqualHandComputation() {
        run(new Nesterovs(LR, 0.9), 0, 0.9, Granularity.BATCH);
    }

    @Test
    void lastLayerGranularityUpdatesLikeBatchGranularity() {
        run(new Sgd(LR), 0, 0, Granularity.EXAMPLE_LAST_LAYER);
    }

    @Test
    void exactGranularityUpdatesLikeTheWholeBatch() {
        run(new Sgd(LR), 0, 0, Granularity.EXAMPLE_EXACT);
    }

    @Test
    void stepWithASingleActiveWorkerUsesOnlyItsGradient() {
        // 9 examples over 2 workers (5 and 4), 2 per step: in the last step only worker 0 has an example left.
        int[][] shards = {TestData.range(0, 5), TestData.range(5, 9)};
        for (Granularity g : List.of(Granularity.EXAMPLE_LAST_LAYER, Granularity.EXAMPLE_EXACT)) {
            run(new Sgd(LR), 0, 0, g, shards, 2, new int[] {4, 4, 1});
        }
    }

    /**
     * Trains one and a half epochs step by step; before each step predicts the parameters by hand.
     *
     * @param momentum Nesterov momentum, 0 for plain SGD
     */
    private static void run(org.nd4j.linalg.learning.config.IUpdater updater, double l2, double momentum, Granularity gran) {
        // Contiguous shards, computed here independently of the trainer: 13, 13 and 12 examples.
        int[][] shards = {TestData.range(0, 13), TestData.range(13, 26), TestData.range(26, 38)};
        int full = WORKERS * BATCH;
        run(updater, l2, momentum, gran, shards, BATCH, gran == Granularity.BATCH ? null : new int[] {full, full, full, 2});
    }

    /**
     * @param shards         the contiguous shards the trainer will cut
     * @param batch          examples per worker per step
     * @param examplesInStep for per-example units, the expected examples of each step of an epoch, or null
     */
    private static void run(org.nd4j.linalg.learning.config.IUpdater updater, double l2, double momentum, Granularity gran,
                            int[][] shards, int batch, int[] examplesInStep) {
        int n = shards[shards.length - 1][shards[shards.length - 1].length - 1] + 1;
        int workers = shards.length;
        DataSet all = TestData.blobs(n, 5, 3, 31);
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, updater, l2, 8);
        INDArray weightMask = weightMask(net);
        int unit = gran == Granularity.BATCH ? batch : 1;
        INDArray velocity = Nd4j.zeros(DataType.FLOAT, net.numParams());
        try (DataParallelTrainer t = DataParallelTrainer.builder().setModel(net).setData(ExampleStore.of(List.of(all)))
                .setOrdering(OrderingConfig.of("cd-grab", 5)).optWorkers(workers).optBatchSize(batch).optGranularity(gran)
                .build()) {
            int stepsPerEpoch = (shards[0].length + batch - 1) / batch;
            assertEquals(stepsPerEpoch, t.stepsPerEpoch());
            int steps = stepsPerEpoch + stepsPerEpoch / 2;
            for (int s = 0; s < steps; s++) {
                int pos = t.position();
                MultiLayerNetwork ref = net.clone();
                INDArray sum = Nd4j.zeros(DataType.FLOAT, net.numParams());
                int total = 0;
                for (int w = 0; w < workers; w++) {
                    int[] order = t.ordering().order(w);
                    int[] ex = examples(shards[w], unit, order, pos * (batch / unit), (pos + 1) * (batch / unit));
                    if (ex.length == 0) {
                        continue;
                    }
                    DataSet d = TestData.rows(all, ex);
                    ref.setInput(d.getFeatures());
                    ref.setLabels(d.getLabels());
                    ref.computeGradientAndScore(LayerWorkspaceMgr.noWorkspaces());
                    sum.addi(ref.gradient().gradient().reshape(sum.length()));
                    total += ex.length;
                }
                if (examplesInStep != null) {
                    assertEquals(examplesInStep[pos], total, "examples in step " + s);
                }
                INDArray params = net.params().dup().reshape(sum.length());
                INDArray g = sum.div(total);
                if (l2 > 0) {
                    g.addi(params.mul(weightMask).muli(l2));
                }
                INDArray expected;
                if (momentum == 0) {
                    expected = params.sub(g.mul(LR));
                } else {
                    INDArray vPrev = velocity.dup();
                    velocity.muli(momentum).subi(g.mul(LR));
                    INDArray update = vPrev.mul(momentum).subi(velocity.mul(1 + momentum));
                    expected = params.sub(update);
                }
                t.step();
                float[] e = expected.data().asFloat();
                float[] a = TestData.params(net);
                for (int i = 0; i < e.length; i++) {
                    assertEquals(e[i], a[i], 2e-6 + 2e-6 * Math.abs(e[i]), "parameter " + i + " after step " + s);
                }
                // Sanity: the step moved the parameters noticeably.
                assertEquals(true, params.distance2(net.params().reshape(sum.length())) > 1e-4, "step " + s + " moved");
            }
            assertEquals(steps, net.getIterationCount());
            assertEquals(steps - stepsPerEpoch, t.position());
            assertEquals(1, net.getEpochCount());
        }
    }

    private static int[] examples(int[] shard, int unit, int[] order, int from, int to) {
        java.util.ArrayList<Integer> out = new java.util.ArrayList<>();
        for (int p = from; p < Math.min(to, order.length); p++) {
            int u = order[p];
            for (int k = u * unit; k < Math.min(shard.length, (u + 1) * unit); k++) {
                out.add(shard[k]);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** 1 for weights, 0 for biases (L2 applies to weights only unless l2Bias is set). */
    private static INDArray weightMask(MultiLayerNetwork net) {
        INDArray m = Nd4j.zeros(DataType.FLOAT, net.numParams());
        long k = 0;
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            long len = e.getValue().length();
            if (e.getKey().endsWith("_W")) {
                m.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(k, k + len)).assign(1);
            }
            k += len;
        }
        return m;
    }
}
