package org.dgrab.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.bytedeco.javacpp.Pointer;
import org.dgrab.core.OrderingConfig.Kind;
import org.dgrab.core.diagnostics.HerdingSimulation;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Allocations of dgrab's own that cannot fit are refused, before anything is allocated, with a
 * {@link DgrabOutOfMemoryError} that says how many bytes of which memory were needed and how to raise the limit.
 * The requests are sized from the JVM's limits, so they exceed them on any machine without allocating.
 */
class OutOfMemoryTest {
    private static final int DIM = 1 << 20;

    @Test
    void heapStateTooLargeForXmxIsRefusedWithTheBytesAndTheFlag() {
        long max = Runtime.getRuntime().maxMemory();
        int workers = (int) (max / (3L * DIM * Double.BYTES)) + 2;   // PairBalance: 3 vectors per worker
        try (OrderingStrategy s = OrderingConfig.builder(Kind.PAIR_BALANCE).build().createUniform(workers, 2)) {
            DgrabOutOfMemoryError e = assertThrows(DgrabOutOfMemoryError.class,
                    () -> s.observe(0, 0, new double[DIM], 0, DIM));
            assertEquals(DgrabOutOfMemoryError.Memory.HEAP, e.memory());
            assertEquals(((long) workers * 3 + 1) * DIM * Double.BYTES, e.bytes());
            assertTrue(e.getMessage().contains(e.bytes() + " bytes") && e.getMessage().contains("-Xmx")
                    && e.getMessage().contains(workers + " workers"), e.getMessage());
            // Refused before anything was allocated or changed.
            assertEquals(0, s.epoch());
        }
    }

    @Test
    void offHeapStateTooLargeForJavacppMaxBytesIsRefusedWithTheProperty() {
        long max = Pointer.maxBytes();
        int workers = (int) (max / (4L * DIM * Float.BYTES)) + 2;   // MeanBalance: 4 vectors per worker
        INDArray g = Nd4j.zeros(DataType.FLOAT, DIM);
        try (OrderingStrategy s = OrderingConfig.builder(Kind.MEAN_BALANCE).build().createUniform(workers, 2)) {
            DgrabOutOfMemoryError e = assertThrows(DgrabOutOfMemoryError.class, () -> s.observe(0, 0, g));
            assertEquals(DgrabOutOfMemoryError.Memory.OFF_HEAP, e.memory());
            assertTrue(e.bytes() > max);
            assertTrue(e.getMessage().contains("-Dorg.bytedeco.javacpp.maxbytes=")
                    && e.getMessage().contains("FLOAT"), e.getMessage());
        }
    }

    @Test
    void herdingVectorsTooLargeForTheHeapAreRefused() {
        long max = Runtime.getRuntime().maxMemory();
        int workers = 64;
        int dim = 16;
        long perWorker = max / ((long) workers * dim * Double.BYTES) + 2;
        HerdingSimulation sim = HerdingSimulation.builder().setWorkers(workers).setPerWorker((int) perWorker)
                .optDim(dim).optRounds(1).optStrategies(List.of(Kind.RANDOM_RESHUFFLING)).build();
        DgrabOutOfMemoryError e = assertThrows(DgrabOutOfMemoryError.class, () -> sim.run(null));
        assertEquals(workers * perWorker * dim * Double.BYTES, e.bytes());
        assertTrue(e.getMessage().contains("herding vectors") && e.getMessage().contains("-Xmx"), e.getMessage());
    }
}
