package org.dgrab.dl4j.internal.data;

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
        // Sequence batches without masks (no padding: DL4J's iterators leave them out) count as all ones.
        DataSet mixed = ExampleStore.of(List.of(masked, unmasked)).batch(new int[] {0, 4});
        assertEquals(masked.getFeaturesMaskArray().getRow(0), mixed.getFeaturesMaskArray().getRow(0));
        assertEquals(Nd4j.ones(DataType.FLOAT, 5), mixed.getFeaturesMaskArray().getRow(1));
        DataSet noLabels = new DataSet(Nd4j.rand(DataType.FLOAT, 4, 3), null);
        e = assertThrows(IllegalArgumentException.class, () -> ExampleStore.of(List.of(a, noLabels)));
        assertTrue(e.getMessage().contains("batch 1 has no labels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ExampleStore.materialise((org.nd4j.linalg.dataset.api.iterator.DataSetIterator) null));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void refusesMissingOrEmptyData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExampleStore.of(List.of()));
        assertTrue(e.getMessage().contains("no data"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ExampleStore.ofMulti(null));
        assertTrue(e.getMessage().contains("no data"), e.getMessage());
        DataSet empty = new DataSet(Nd4j.create(DataType.FLOAT, 0, 3), Nd4j.create(DataType.FLOAT, 0, 2));
        e = assertThrows(IllegalArgumentException.class, () -> ExampleStore.of(List.of(empty)));
        assertTrue(e.getMessage().contains("batch 0 is empty"), e.getMessage());
        // An iterator that was read to the end and cannot start again.
        ExistingDataSetIterator once = new ExistingDataSetIterator(TestData.batches(TestData.blobs(4, 3, 2, 1), 4)) {
            @Override
            public boolean resetSupported() {
                return false;
            }
        };
        once.next();
        e = assertThrows(IllegalArgumentException.class, () -> ExampleStore.materialise(once));
        assertTrue(e.getMessage().contains("exhausted and cannot reset"), e.getMessage());
    }

    @Test
    void refusesRowsThatDoNotLineUp() {
        DataSet shortLabels = new DataSet(Nd4j.rand(DataType.FLOAT, 4, 3), Nd4j.rand(DataType.FLOAT, 3, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExampleStore.of(List.of(shortLabels)));
        assertTrue(e.getMessage().contains("batch 0 has 4 feature rows but 3 label rows"), e.getMessage());
    }

    @Test
    void refusesMultiDataSetsOfDifferentArrayCounts() {
        org.nd4j.linalg.dataset.MultiDataSet one = new org.nd4j.linalg.dataset.MultiDataSet(
                new org.nd4j.linalg.api.ndarray.INDArray[] {Nd4j.rand(DataType.FLOAT, 2, 3)},
                new org.nd4j.linalg.api.ndarray.INDArray[] {Nd4j.rand(DataType.FLOAT, 2, 2)});
        org.nd4j.linalg.dataset.MultiDataSet two = new org.nd4j.linalg.dataset.MultiDataSet(
                new org.nd4j.linalg.api.ndarray.INDArray[] {Nd4j.rand(DataType.FLOAT, 2, 3), Nd4j.rand(DataType.FLOAT, 2, 3)},
                new org.nd4j.linalg.api.ndarray.INDArray[] {Nd4j.rand(DataType.FLOAT, 2, 2)});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExampleStore.ofMulti(List.of(one, two)));
        assertTrue(e.getMessage().contains("batch 1 has 2 feature and 1 label arrays; batch 0 had 1 and 1"), e.getMessage());
        ExampleStore store = ExampleStore.ofMulti(TestData.twoInputBatches(6, 3, 1));
        assertEquals(2, store.inputs());
        assertEquals(6, store.size());
        assertTrue(store.isMulti());
    }

    @Test
    void viewsIntoLargerArraysAreCopiedFromTheirOwnRows() {
        // Batches that are views (offsets into one big array, as DataSet.split or get(interval) give) and a
        // column-major batch (copied once, then freed) land in the store with their own values.
        DataSet all = TestData.blobs(20, 4, 3, 9);
        List<DataSet> views = new java.util.ArrayList<>();
        for (int from = 0; from < 20; from += 5) {
            views.add(new DataSet(all.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + 5),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()), all.getLabels().get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + 5), org.nd4j.linalg.indexing.NDArrayIndex.all())));
        }
        views.set(1, new DataSet(views.get(1).getFeatures().dup('f'), views.get(1).getLabels()));
        ExampleStore s = ExampleStore.of(views);
        DataSet back = s.batch(TestData.range(0, 20));
        assertEquals(all.getFeatures(), back.getFeatures());
        assertEquals(all.getLabels(), back.getLabels());
    }
}
