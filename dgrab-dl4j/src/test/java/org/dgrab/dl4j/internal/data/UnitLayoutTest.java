package org.dgrab.dl4j.internal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link UnitLayout}: shards cut into units, examples of units in the order given, refused layouts. */
class UnitLayoutTest {

    @Test
    void layoutCutsShardsIntoUnits() {
        UnitLayout l = UnitLayout.of(new int[][] {{0, 1, 2, 3, 4}, {5, 6, 7}}, 2);
        assertEquals(2, l.workers());
        assertArrayEquals(new int[] {3, 2}, l.unitsPerWorker());
        assertArrayEquals(new int[] {4}, l.examples(0, 2));
        assertArrayEquals(new int[] {7}, l.examples(1, 1));
        assertArrayEquals(new int[] {4, 0, 1}, l.examples(0, new int[] {2, 0, 1}, 0, 2));
        assertArrayEquals(new int[] {2, 3}, l.examples(0, new int[] {2, 0, 1}, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> UnitLayout.of(new int[][] {{0}}, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnitLayout.of(new int[][] {{0}, {}}, 1));
        assertTrue(e.getMessage().contains("worker 1 has no examples"), e.getMessage());
    }

    @Test
    void singleWorkerOfGivenUnits() {
        UnitLayout l = UnitLayout.single(new int[][] {{0, 1, 2}, {3, 4, 5}, {6}});
        assertEquals(1, l.workers());
        assertEquals(3, l.units(0));
        assertArrayEquals(new int[] {6, 0, 1, 2}, l.examples(0, new int[] {2, 0, 1}, 0, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnitLayout.single(new int[0][]));
        assertTrue(e.getMessage().contains("no units"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> UnitLayout.single(new int[][] {{0}, {}}));
        assertTrue(e.getMessage().contains("unit 1 has no examples"), e.getMessage());
    }

    @Test
    void refusesNoWorkers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnitLayout.of(new int[0][], 1));
        assertTrue(e.getMessage().contains("at least one worker"), e.getMessage());
    }
}
