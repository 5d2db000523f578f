package org.dgrab.core.internal.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.dgrab.core.internal.random.SplitMix64;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Regression tests for the ND4J fast paths that replaced ND4J ops: the count-sketch host loop (which replaced a
 * scatter_add that left the output at zero) and the copy + axpy difference (which replaced a custom subtraction op).
 */
class NdFastPathTest {

    private static double[] values(long seed, int d) {
        SplitMix64 r = new SplitMix64(seed);
        double[] x = new double[d];
        for (int i = 0; i < d; i++) {
            // Small integers: every sum below is exact in float, so paths can be compared exactly.
            x[i] = r.nextInt(17) - 8;
        }
        return x;
    }

    private static double[] arraySketch(CountSketch s, double[] x) {
        ArrayVectorBuffer out = new ArrayVectorBuffer(s.sketchDim());
        s.apply(new VectorRef().set(x, 0, x.length), out, new CountSketch.Scratch());
        return out.toDoubleArray();
    }

    @Test
    void ndSketchEqualsArraySketchForEveryTypeAndLayout() {
        int d = 20_000;
        int k = 64;
        CountSketch s = new CountSketch(5, d, k);
        double[] x = values(1, d);
        double[] expected = arraySketch(s, x);
        CountSketch.Scratch scratch = new CountSketch.Scratch();
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16}) {
            INDArray plain = Nd4j.createFromArray(x).castTo(t);
            // A row at an offset of a matrix, and a strided column of a matrix, holding the same values.
            INDArray rows = Nd4j.create(t, 3, d);
            rows.getRow(1).assign(plain);
            INDArray cols = Nd4j.create(t, d, 2);
            cols.getColumn(1).assign(plain);
            for (INDArray in : new INDArray[] {plain, rows.getRow(1), cols.getColumn(1)}) {
                NdVectorBuffer out = new NdVectorBuffer(t, k);
                out.setFrom(values(9, k)); // stale content must be overwritten
                for (int rep = 0; rep < 2; rep++) {
                    s.apply(new VectorRef().set(in), out, scratch);
                    double tol = t == DataType.FLOAT16 ? 0.5 : 0.0; // FLOAT16 rounds sums above 2048
                    double[] got = out.toDoubleArray();
                    for (int b = 0; b < k; b++) {
                        assertEquals(expected[b], got[b], tol * Math.max(1, Math.abs(expected[b]) / 1024),
                                t + " " + java.util.Arrays.toString(in.shape()) + " bucket " + b);
                    }
                }
            }
        }
    }

    @Test
    void ndSketchIsNotAllZero() {
        CountSketch s = new CountSketch(2, 1000, 8);
        NdVectorBuffer out = new NdVectorBuffer(DataType.FLOAT, 8);
        s.apply(new VectorRef().set(Nd4j.createFromArray(values(3, 1000)).castTo(DataType.FLOAT)), out,
                new CountSketch.Scratch());
        double norm = out.dot(out);
        assertEquals(true, norm > 0, "sketch of a non-zero vector is zero");
    }

    @Test
    void differenceIsRightWhenTheResultAliasesAnOperand() {
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16}) {
            double[] a = {1, 2, 3, 4};
            double[] b = {0.5, -1, 2, 8};
            NdVectorBuffer buf = new NdVectorBuffer(t, 4);
            VectorRef aRef = new VectorRef().set(Nd4j.createFromArray(a).castTo(t));
            // this = a - this
            buf.setFrom(b);
            buf.difference(aRef, buf);
            assertArrayEquals(new double[] {0.5, 3, 1, -4}, buf.toDoubleArray(), 0.0, t + ": a - this");
            // this = this - b
            buf.setFrom(a);
            buf.difference(buf, new VectorRef().set(Nd4j.createFromArray(b).castTo(t)));
            assertArrayEquals(new double[] {0.5, 3, 1, -4}, buf.toDoubleArray(), 0.0, t + ": this - b");
        }
    }

    @Test
    void onePassDifferenceOfLongVectorsIsExactAlsoWhenAliased() {
        int d = NdVectorBuffer.ONE_PASS_DIFFERENCE + 3;
        double[] a = values(6, d);
        double[] b = values(7, d);
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            double[] expected = new double[d];
            for (int i = 0; i < d; i++) {
                // The inputs are rounded to t first; their difference is then rounded once, to t.
                expected[i] = t == DataType.FLOAT ? (double) ((float) a[i] - (float) b[i]) : a[i] - b[i];
            }
            VectorRef aRef = new VectorRef().set(Nd4j.createFromArray(a).castTo(t));
            VectorRef bRef = new VectorRef().set(Nd4j.createFromArray(b).castTo(t));
            NdVectorBuffer first = new NdVectorBuffer(t, d);
            first.setFrom(a);
            NdVectorBuffer diff = new NdVectorBuffer(t, d);
            diff.difference(first, bRef);
            assertArrayEquals(expected, diff.toDoubleArray(), 0.0, t + ": buffer - ref");
            NdVectorBuffer buf = new NdVectorBuffer(t, d);
            buf.setFrom(b);
            buf.difference(aRef, buf);
            assertArrayEquals(expected, buf.toDoubleArray(), 0.0, t + ": a - this");
            buf.setFrom(a);
            buf.difference(buf, bRef);
            assertArrayEquals(expected, buf.toDoubleArray(), 0.0, t + ": this - b");
        }
    }

    @Test
    void differenceReadsStridedViews() {
        double[] a = values(4, 100);
        double[] b = values(5, 100);
        INDArray m = Nd4j.create(DataType.FLOAT, 100, 3);
        m.getColumn(2).assign(Nd4j.createFromArray(b).castTo(DataType.FLOAT));
        NdVectorBuffer first = new NdVectorBuffer(DataType.FLOAT, 100);
        first.setFrom(a);
        NdVectorBuffer diff = new NdVectorBuffer(DataType.FLOAT, 100);
        diff.difference(first, new VectorRef().set(m.getColumn(2)));
        double[] expected = new double[100];
        for (int i = 0; i < 100; i++) {
            expected[i] = a[i] - b[i];
        }
        assertArrayEquals(expected, diff.toDoubleArray(), 0.0);
    }
}
