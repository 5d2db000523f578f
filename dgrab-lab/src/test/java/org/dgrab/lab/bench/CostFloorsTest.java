package org.dgrab.lab.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;

import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingStrategy;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The cost floors ask for gradients but keep the wrapped gradient-free ordering's orders exactly. */
class CostFloorsTest {
    private static final int[] SHARDS = {5, 4};

    private static OrderingStrategy drr() {
        return OrderingConfig.of("d-rr", 8).create(SHARDS);
    }

    /** Runs three epochs with gradients handed to the floor and checks every order against plain D-RR. */
    private static void sameOrdersAsTheBaseline(UnaryOperator<OrderingStrategy> floor) {
        OrderingStrategy plain = drr();
        try (OrderingStrategy f = floor.apply(drr())) {
            assertTrue(f.needsGradients());
            for (int e = 0; e < 3; e++) {
                for (int w = 0; w < SHARDS.length; w++) {
                    assertArrayEquals(plain.order(w), f.order(w), "epoch " + e + " worker " + w);
                    for (int t = 0; t < SHARDS[w]; t++) {
                        f.observe(w, t, Nd4j.rand(DataType.FLOAT, 1, 1000));
                    }
                }
                f.endEpoch();
                plain.endEpoch();
            }
            assertInstanceOf(f.getClass(), f.copy());
        }
        plain.close();
    }

    @Test
    void pairCopyFloorKeepsTheBaselinesOrders() {
        sameOrdersAsTheBaseline(PairCopyFloor::new);
    }

    @Test
    void offloadFloorKeepsTheBaselinesOrders() {
        sameOrdersAsTheBaseline(OffloadFloor::new);
    }

    @Test
    void handOffFloorKeepsTheBaselinesOrders() {
        sameOrdersAsTheBaseline(HandOffFloor::new);
    }

    @Test
    void floorsRejectGradientOrderings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PairCopyFloor(OrderingConfig.of("cd-grab", 0).create(SHARDS)));
        assertTrue(e.getMessage().contains("gradient-free") && e.getMessage().contains("cd-grab"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new OffloadFloor(OrderingConfig.of("pair-balance", 0).create(SHARDS)));
        assertTrue(e.getMessage().contains("gradient-free"), e.getMessage());
        try (OffloadFloor f = new OffloadFloor(drr())) {
            assertThrows(UnsupportedOperationException.class, () -> f.observe(0, 0, new double[4], 0, 4));
        }
    }
}
