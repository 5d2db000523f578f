package org.dgrab.lab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;

/** Tests the deterministic initialisation of {@link Models}. */
class ModelsTest {

    @Test
    void initialWeightsDependOnTheSeedOnly() {
        for (boolean conv : new boolean[] {false, true}) {
            INDArray a = (conv ? Models.lenet(3, 32, 32, 10, new Sgd(0.1), 7) : Models.mlp(30, 16, 10, new Sgd(0.1), 7)).params();
            INDArray b = (conv ? Models.lenet(3, 32, 32, 10, new Sgd(0.1), 7) : Models.mlp(30, 16, 10, new Sgd(0.1), 7)).params();
            INDArray c = (conv ? Models.lenet(3, 32, 32, 10, new Sgd(0.1), 8) : Models.mlp(30, 16, 10, new Sgd(0.1), 8)).params();
            assertEquals(a, b, "same seed, same weights (conv=" + conv + ")");
            assertNotEquals(a, c, "another seed, other weights");
            // Xavier-normal scale: the first layer's weights have std sqrt(2 / (fanIn + fanOut)).
            double std = a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, conv ? 450 : 480)).stdNumber().doubleValue();
            double expected = conv ? Math.sqrt(2.0 / (3 * 25 + 6 * 25)) : Math.sqrt(2.0 / (30 + 16));
            assertEquals(expected, std, expected * 0.2, "weight scale (conv=" + conv + ")");
        }
    }
}
