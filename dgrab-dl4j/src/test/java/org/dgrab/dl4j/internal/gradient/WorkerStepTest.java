package org.dgrab.dl4j.internal.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.dgrab.dl4j.internal.data.UnitLayout;
import org.dgrab.dl4j.internal.model.ModelAdapter;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Sgd;

/** {@link WorkerStep}: which examples a step covers, and the ranges it refuses. */
class WorkerStepTest {
    private final ModelAdapter model = ModelAdapter.of(TestData.logreg(3, 2, new Sgd(0.1), 1));
    private final ExampleStore data = ExampleStore.of(List.of(TestData.blobs(8, 3, 2, 1)));
    /** Worker 0 holds examples 0..3 in units of two: unit 0 = {0, 1}, unit 1 = {2, 3}. */
    private final UnitLayout layout = UnitLayout.of(new int[][] {{0, 1, 2, 3}, {4, 5, 6, 7}}, 2);

    @Test
    void examplesFollowTheOrder() {
        WorkerStep s = new WorkerStep(model, data, layout, 0, new int[] {1, 0}, 0, 2, UnitTarget.NONE);
        assertEquals(2, s.units());
        assertArrayEquals(new int[] {2, 3, 0, 1}, s.examples());
        assertArrayEquals(new int[] {0, 1}, s.examplesAt(1));
        assertFalse(s.wantsUnitGradients());
        UnitSink sink = (p, g) -> { };
        IllegalStateException none = assertThrows(IllegalStateException.class, s::sink);
        assertTrue(none.getMessage().contains("worker 0") && none.getMessage().contains("feeds no ordering"),
                none.getMessage());
        WorkerStep t = s.to(UnitTarget.to(sink));
        assertTrue(t.wantsUnitGradients());
        assertSame(sink, t.sink());
        ModelAdapter other = model.replica();
        assertSame(other, s.on(other).model());
        assertArrayEquals(s.examples(), s.on(other).examples());
    }

    @Test
    void emptyOrOutOfRangePositionsAreRefused() {
        int[] order = {0, 1};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WorkerStep(model, data, layout, 1, order, 1, 3, UnitTarget.NONE));
        assertTrue(e.getMessage().contains("[1, 3) of worker 1") && e.getMessage().contains("order of 2 units"),
                e.getMessage());
        UnitTarget none = UnitTarget.NONE;
        assertThrows(IllegalArgumentException.class, () -> new WorkerStep(model, data, layout, 0, order, 1, 1, none));
        assertThrows(IllegalArgumentException.class, () -> new WorkerStep(model, data, layout, 0, order, -1, 1, none));
        assertThrows(IllegalArgumentException.class, () -> new WorkerStep(model, data, null, 0, order, 0, 1, none));
        // "Feeds no ordering" is UnitTarget.NONE, never a null target or a null sink.
        assertThrows(IllegalArgumentException.class, () -> new WorkerStep(model, data, layout, 0, order, 0, 1, null));
        assertThrows(IllegalArgumentException.class, () -> UnitTarget.to(null));
    }
}
