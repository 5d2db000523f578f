package org.dgrab.dl4j.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The cached rank-1 view: one view per array, the same memory, and no view where a reshape would copy. */
class RankOneViewTest {

    @Test
    void aRowGetsOneViewOfItsMemoryUntilTheArrayChanges() {
        RankOneView v = new RankOneView();
        INDArray row = Nd4j.zeros(DataType.FLOAT, 1, 6);
        INDArray r = v.of(row);
        assertEquals(1, r.rank());
        assertSame(r, v.of(row));
        row.putScalar(4, 2.5f);
        assertEquals(2.5f, r.getFloat(4), 0f);
        INDArray other = Nd4j.zeros(DataType.FLOAT, 1, 6);
        INDArray o = v.of(other);
        assertNotSame(r, o);
        o.putScalar(1, 1f);
        assertEquals(1f, other.getFloat(1), 0f);
        assertEquals(0f, row.getFloat(1), 0f);
    }

    @Test
    void rankOneAndStridedArraysAreReturnedAsTheyAre() {
        RankOneView v = new RankOneView();
        INDArray vector = Nd4j.zeros(DataType.FLOAT, 5);
        assertSame(vector, v.of(vector));
        // A column of a c-order matrix is strided: a reshape would copy it, and writes through the copy would be lost.
        INDArray column = Nd4j.zeros(DataType.FLOAT, 4, 3).getColumn(1, true);
        assertSame(column, v.of(column));
    }
}
