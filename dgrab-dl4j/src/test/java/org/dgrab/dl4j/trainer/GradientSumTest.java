package org.dgrab.dl4j.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.internal.model.ModelAdapter;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/** {@link GradientSum}: sums, averaged running statistics, and where the result is formed. */
class GradientSumTest {

    /** @return a vector like the model's {@code gradientVector()} whose element i is {@code scale * (i + 1)} */
    private static INDArray ramp(ModelAdapter m, double scale) {
        INDArray v = m.gradientVector();
        return Nd4j.linspace(1, v.length(), v.length(), v.dataType()).muli(scale).reshape(v.shape());
    }

    private static float[] values(INDArray a) {
        return a.dup().data().asFloat();
    }

    @Test
    void separateSumAveragesTheRunningStatistics() {
        ModelAdapter m = ModelAdapter.of(RunningStatisticsTest.batchNormNet());
        long[][] stats = m.statisticRanges();
        GradientSum sum = GradientSum.separate(m, 3);
        INDArray a = ramp(m, 1);
        INDArray b = ramp(m, 2);
        sum.add(a);
        sum.add(b);
        sum.finish();
        float[] got = values(m.gradientView());
        for (int i = 0; i < got.length; i++) {
            boolean statistic = false;
            for (long[] r : stats) {
                statistic |= i >= r[0] && i < r[0] + r[1];
            }
            // Two workers computed (the third sat out): their statistics updates are averaged, the rest summed.
            float expected = statistic ? 1.5f * (i + 1) : 3f * (i + 1);
            assertEquals(expected, got[i], 1e-4f * (i + 1), "element " + i + (statistic ? " (statistic)" : ""));
        }
    }

    @Test
    void aLoneGradientComputedInTheModelStaysAsItIs() {
        ModelAdapter m = ModelAdapter.of(RunningStatisticsTest.batchNormNet());
        m.gradientVector().assign(ramp(m, 1));
        GradientSum sum = GradientSum.separate(m, 2);
        sum.add(m.gradientVector());
        sum.finish();
        // Not divided by one worker, not copied: the model's own gradient, untouched.
        assertArrayEquals(values(ramp(m, 1)), values(m.gradientView()), 0f);
    }

    @Test
    void oneWorkerOnAReplicaIsCopiedIntoTheModel() {
        ModelAdapter m = ModelAdapter.of(TestData.mlp(4, 5, 3, new Sgd(0.1), 1));
        GradientSum sum = GradientSum.separate(m, 1);
        sum.add(ramp(m, 3));
        sum.finish();
        assertArrayEquals(values(ramp(m, 3)), values(m.gradientView()), 0f);
    }

    @Test
    void inPlaceSumAsksForTheModelsArrayBeforeWritingIt() {
        ModelAdapter m = ModelAdapter.of(TestData.mlp(4, 5, 3, new Sgd(0.1), 1));
        m.gradientVector().assign(ramp(m, 1));
        List<String> events = new ArrayList<>();
        GradientSum sum = GradientSum.inPlace(m, 2, () -> {
            events.add("target");
            return m.gradientView();
        });
        // Worker 0's gradient is already in the model: nothing to wait for, nothing written.
        sum.add(m.gradientVector());
        assertEquals(List.of(), events);
        sum.add(ramp(m, 2));
        assertEquals(List.of("target"), events);
        sum.finish();
        assertArrayEquals(values(ramp(m, 3)), values(m.gradientView()), 1e-3f);
    }
}
