package org.dgrab.dl4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.dgrab.dl4j.TestData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** {@link ExampleStore}: random access to examples with their shapes and masks. */
class ExampleStoreTest {

    @Test
    void gathersExamplesOfFlatData() {
        DataSet all = TestData.blobs(10, 3, 2, 1);
        ExampleStore s = ExampleStore.materialise(new ExistingDataSetIterator(TestData.batches(all, 4)));
        assertEquals(10, s.size());
        assertEquals(3, s.sourceBatches());
        assertArrayEquals(new int[] {0, 1, 2, 3}, s.sourceBatch(0));
        assertArrayEquals(new int[] {8, 9}, s.sourceBatch(2));
        assertEquals(3, s.featureSize());
        assertEquals(2, s.labelSize());
        assertArrayEquals(new long[] {3}, s.featureShape());
        assertFalse(s.hasMasks());
        assertEquals(10 * (3 + 2) * 4, s.bytes());
        int[] idx = {7, 2, 9};
        DataSet b = s.batch(idx);
        DataSet expected = TestData.rows(all, idx);
        assertEquals(expected.getFeatures(), b.getFeatures());
        assertEquals(expected.getLabels(), b.getLabels());
        assertNull(b.getFeaturesMaskArray());
        assertArrayEquals(all.getLabels().argMax(1).toIntVector(), s.classIndices());
        assertThrows(IllegalArgumentException.class, () -> s.batch(new int[] {10}));
        assertThrows(IllegalArgumentException.class, () -> s.batch(new int[0]));
        assertThrows(IllegalArgumentException.class, () -> s.sourceBatch(3));
    }

    @Test
    void keepsSequenceShapesAndMasks() {
        DataSet all = TestData.sequences(7, 3, 2, 5, 2);
        ExampleStore s = ExampleStore.of(TestData.batches(all, 3));
        assertTrue(s.hasMasks());
        assertArrayEquals(new long[] {3, 5}, s.featureShape());
        assertArrayEquals(new long[] {2, 5}, s.labelShape());
        int[] idx = {6, 0, 4};
        DataSet b = s.batch(idx);
        DataSet expected = TestData.rows(all, idx);
        assertArrayEquals(new long[] {3, 3, 5}, b.getFeatures().shape());
        assertEquals(expected.getFeatures(), b.getFeatures());
        assertEquals(expected.getLabels(), b.getLabels());
        assertEquals(expected.getFeaturesMaskArray(), b.getFeaturesMaskArray());
        assertEquals(expected.getLabelsMaskArray(), b.getLabelsMaskArray());
    }

    @Test
    void refusesInconsistentBatches() {
        DataSet a = TestData.blobs(4, 3, 2, 1);
        DataSet wide = TestData.blobs(4, 5, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExampleStore.of(List.of(a, wide)));
        assertTrue(e.getMessage().contains("batch 1 has example shape features [5]"), e.getMessage());
        DataSet masked = TestData.sequences(4, 3, 2, 5, 1);
        DataSet unmasked = new DataSet(masked.getFeatures(), masked.getLabels());
        e = assertThrows(IllegalArgumentException.class, () -> ExampleStore.of(List.of(masked, unmasked)));
        assertTrue(e.getMessage().contains("different mask arrays"), e.getMessage());
        DataSet noLabels = new DataSet(Nd4j.rand(DataType.FLOAT, 4, 3), null);
        e = assertThrows(IllegalArgumentException.class, () -> ExampleStore.of(List.of(a, noLabels)));
        assertTrue(e.getMessage().contains("batch 1 has no labels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ExampleStore.materialise((org.nd4j.linalg.dataset.api.iterator.DataSetIterator) null));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void shardingPartitionsTheExamples() {
        for (Sharding sh : Sharding.values()) {
            int[][] shards = sh.split(11, 3, 5);
            assertEquals(3, shards.length);
            assertEquals(4, shards[0].length);
            assertEquals(4, shards[1].length);
            assertEquals(3, shards[2].length);
            boolean[] seen = new boolean[11];
            for (int[] shard : shards) {
                for (int e : shard) {
                    assertFalse(seen[e]);
                    seen[e] = true;
                }
            }
            for (boolean b : seen) {
                assertTrue(b);
            }
            assertArrayEquals(shards[1], sh.split(11, 3, 5)[1], "deterministic");
        }
        assertArrayEquals(new int[] {4, 5, 6, 7}, Sharding.CONTIGUOUS.split(11, 3, 5)[1]);
        assertFalse(java.util.Arrays.equals(Sharding.SEEDED.split(11, 3, 5)[0], Sharding.SEEDED.split(11, 3, 6)[0]),
                "another seed, other shards");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sharding.CONTIGUOUS.split(2, 3, 0));
        assertTrue(e.getMessage().contains("2 examples over 3 workers"), e.getMessage());
    }

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
}
