package org.dgrab.core.internal.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.dgrab.core.internal.random.SplitMix64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class VectorBufferTest {

    /** The buffer kinds under test, each compared against plain-Java double arithmetic. */
    enum Kind {
        ND_FLOAT(DataType.FLOAT, 1e-5, 4),
        ND_DOUBLE(DataType.DOUBLE, 1e-12, 8),
        ND_HALF(DataType.HALF, 0.0, 2),
        ARRAY(null, 0.0, 8);

        final DataType nd;
        /** Relative tolerance for random data; HALF is only fed values whose results are exact in half precision. */
        final double tol;
        final int width;

        Kind(DataType nd, double tol, int width) {
            this.nd = nd;
            this.tol = tol;
            this.width = width;
        }

        VectorBuffer buffer(int dim) {
            return nd == null ? new ArrayVectorBuffer(dim) : new NdVectorBuffer(nd, dim);
        }

        VectorBuffer buffer(double[] values) {
            VectorBuffer b = buffer(values.length);
            b.setFrom(values);
            return b;
        }

        /** An input vector; array inputs sit at an offset inside a larger array, to exercise the slice path. */
        VectorRef ref(double[] values) {
            if (nd == null) {
                double[] padded = new double[values.length + 5];
                java.util.Arrays.fill(padded, 1e6);
                System.arraycopy(values, 0, padded, 3, values.length);
                return new VectorRef().set(padded, 3, values.length);
            }
            return new VectorRef().set(Nd4j.createFromArray(values).castTo(nd));
        }

        DataType type() {
            return nd == null ? DataType.DOUBLE : nd;
        }
    }

    // Small integers and halves: every result below is exact in half precision, so all kinds must match exactly.
    private static final double[] A = {1, -2, 3.5, 0.5, -4};
    private static final double[] B = {2, 0.25, -1, 3, 1.5};

    private static void assertValues(double[] expected, VectorBuffer actual, double relTol) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length);
        for (int i = 0; i < expected.length; i++) {
            double tol = relTol * Math.max(1.0, Math.abs(expected[i]));
            assertEquals(expected[i], got[i], tol, "element " + i + " of " + actual.describe());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void newBufferIsZeroWithTheRightShape(Kind k) {
        VectorBuffer b = k.buffer(5);
        assertEquals(5, b.dim());
        assertEquals(k.type(), b.dataType());
        assertEquals(k.width, b.bytesPerElement());
        assertArrayEquals(new double[5], b.toDoubleArray());
        VectorBuffer z = b.newZero();
        assertTrue(z.sameShape(b));
        z.setFrom(A);
        assertArrayEquals(new double[5], b.toDoubleArray(), "newZero must not share storage");
        assertTrue(b.describe().contains("5") && b.describe().contains(k.type().toString()), b.describe());
        assertTrue(b.describe().contains(k.nd == null ? "double[]" : "ND4J"), b.describe());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void operationsMatchPlainJava(Kind k) {
        VectorBuffer b = k.buffer(5);
        b.assign(k.ref(A));
        assertValues(A, b, 0);

        VectorBuffer bufB = k.buffer(B);
        VectorBuffer c = k.buffer(5);
        c.assign(bufB);
        assertValues(B, c, 0);

        c.difference(b, k.ref(B)); // A - B
        assertValues(new double[] {-1, -2.25, 4.5, -2.5, -5.5}, c, 0);
        c.difference(k.ref(A), bufB); // A - B again, other overload
        assertValues(new double[] {-1, -2.25, 4.5, -2.5, -5.5}, c, 0);
        c.difference(bufB, k.ref(A)); // B - A
        assertValues(new double[] {1, 2.25, -4.5, 2.5, 5.5}, c, 0);

        c.assign(k.ref(A));
        c.add(k.ref(B)); // A + B
        assertValues(new double[] {3, -1.75, 2.5, 3.5, -2.5}, c, 0);

        c.assign(k.ref(A));
        c.addScaled(1.0, bufB);
        assertValues(new double[] {3, -1.75, 2.5, 3.5, -2.5}, c, 0);
        c.addScaled(-1.0, bufB); // back to A
        assertValues(A, c, 0);
        c.addScaled(2.5, bufB); // A + 2.5 B
        assertValues(new double[] {6, -1.375, 1, 8, -0.25}, c, 0);

        c.assign(k.ref(A));
        c.scale(-0.5);
        assertValues(new double[] {-0.5, 1, -1.75, -0.25, 2}, c, 0);

        // <A, B> = 2 - 0.5 - 3.5 + 1.5 - 6 = -6.5
        assertEquals(-6.5, b.dot(bufB), 0.0);
        assertEquals(-6.5, bufB.dot(b), 0.0);
        // <A, A> = 1 + 4 + 12.25 + 0.25 + 16 = 33.5
        assertEquals(33.5, b.dot(b), 0.0);

        b.zero();
        assertArrayEquals(new double[5], b.toDoubleArray());
        assertEquals(0.0, b.dot(bufB), 0.0);
        assertArrayEquals(B, bufB.toDoubleArray(), "operands must not be modified");
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"ND_FLOAT", "ND_DOUBLE", "ARRAY"})
    void randomDataMatchesPlainJava(Kind k) {
        // 37 elements: not a multiple of any SIMD width, so vectorised loops and their tails both run.
        int d = 37;
        SplitMix64 r = new SplitMix64(1);
        double[] x = new double[d];
        double[] y = new double[d];
        for (int i = 0; i < d; i++) {
            // values representable in float, so FLOAT inputs equal the double reference exactly
            x[i] = (float) r.nextGaussian();
            y[i] = (float) r.nextGaussian();
        }
        VectorBuffer bx = k.buffer(x);
        VectorBuffer by = k.buffer(y);
        double dot = 0;
        double magnitude = 0;
        for (int i = 0; i < d; i++) {
            dot += x[i] * y[i];
            magnitude += Math.abs(x[i] * y[i]);
        }
        // Implementations may sum in another (fixed) order: allow that rounding on top of the type's tolerance.
        assertEquals(dot, bx.dot(by), k.tol * d + 1e-15 * d * magnitude);

        VectorBuffer s = k.buffer(d);
        s.difference(bx, k.ref(y));
        double[] diff = new double[d];
        for (int i = 0; i < d; i++) {
            diff[i] = x[i] - y[i];
        }
        assertValues(diff, s, k.tol);

        s.assign(bx);
        s.addScaled(-0.75, by);
        s.add(k.ref(y));
        s.scale(3.0);
        double[] ref = new double[d];
        for (int i = 0; i < d; i++) {
            ref[i] = 3.0 * (x[i] - 0.75 * y[i] + y[i]);
        }
        assertValues(ref, s, k.tol);
    }

    @Test
    void mixingKindsThrows() {
        VectorBuffer nd = new NdVectorBuffer(DataType.DOUBLE, 3);
        VectorBuffer arr = new ArrayVectorBuffer(3);
        VectorRef ndRef = new VectorRef().set(Nd4j.createFromArray(1.0, 2.0, 3.0));
        VectorRef arrRef = new VectorRef().set(new double[] {1, 2, 3}, 0, 3);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> arr.assign(ndRef));
        assertTrue(e.getMessage().contains("ND4J"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> nd.assign(arrRef));
        assertTrue(e.getMessage().contains("double[]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> arr.add(ndRef));
        assertThrows(IllegalArgumentException.class, () -> nd.add(arrRef));
        assertThrows(IllegalArgumentException.class, () -> arr.difference(arr, ndRef));
        assertThrows(IllegalArgumentException.class, () -> nd.difference(arrRef, nd));

        e = assertThrows(IllegalArgumentException.class, () -> arr.addScaled(1.0, nd));
        assertTrue(e.getMessage().contains("NdVectorBuffer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> nd.addScaled(1.0, arr));
        assertTrue(e.getMessage().contains("ArrayVectorBuffer"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> arr.dot(nd));
        assertThrows(IllegalArgumentException.class, () -> nd.dot(arr));
        assertThrows(IllegalArgumentException.class, () -> arr.assign(nd));
        assertThrows(IllegalArgumentException.class, () -> nd.assign(arr));
        assertThrows(IllegalArgumentException.class, () -> nd.difference(arr, ndRef));
        assertThrows(IllegalArgumentException.class, () -> arr.difference(arrRef, nd));
        assertArrayEquals(new double[3], nd.toDoubleArray(), "a rejected call changes nothing");
        assertArrayEquals(new double[3], arr.toDoubleArray(), "a rejected call changes nothing");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void wrongDimensionsThrow(Kind k) {
        VectorBuffer b = k.buffer(A);
        VectorRef shortRef = k.ref(new double[] {1, 2, 3, 4});
        VectorRef longRef = k.ref(new double[] {1, 2, 3, 4, 5, 6});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.assign(shortRef));
        assertTrue(e.getMessage().contains("4") && e.getMessage().contains("5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.assign(longRef));
        assertThrows(IllegalArgumentException.class, () -> b.add(shortRef));
        assertThrows(IllegalArgumentException.class, () -> b.add(longRef));
        assertThrows(IllegalArgumentException.class, () -> b.difference(b, shortRef));
        assertThrows(IllegalArgumentException.class, () -> b.difference(longRef, b));

        VectorBuffer shortBuf = k.buffer(4);
        VectorBuffer longBuf = k.buffer(6);
        for (VectorBuffer other : new VectorBuffer[] {shortBuf, longBuf}) {
            e = assertThrows(IllegalArgumentException.class, () -> b.addScaled(1.0, other), "dim " + other.dim());
            assertTrue(e.getMessage().contains(String.valueOf(other.dim())) && e.getMessage().contains("5"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> b.addScaled(2.0, other));
            assertThrows(IllegalArgumentException.class, () -> b.dot(other));
            assertThrows(IllegalArgumentException.class, () -> b.assign(other));
            assertThrows(IllegalArgumentException.class, () -> b.difference(other, k.ref(A)));
            assertThrows(IllegalArgumentException.class, () -> b.difference(k.ref(A), other));
        }
        assertThrows(IllegalArgumentException.class, () -> b.setFrom(new double[4]));
        assertArrayEquals(A, b.toDoubleArray(), "a rejected call changes nothing");
    }

    @Test
    void wrongDataTypesThrow() {
        NdVectorBuffer f = new NdVectorBuffer(DataType.FLOAT, 3);
        f.setFrom(new double[] {1, 2, 3});
        VectorRef dRef = new VectorRef().set(Nd4j.createFromArray(1.0, 2.0, 3.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.assign(dRef));
        assertTrue(e.getMessage().contains("DOUBLE") && e.getMessage().contains("FLOAT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f.add(dRef));
        assertThrows(IllegalArgumentException.class, () -> f.difference(f, dRef));

        NdVectorBuffer d = new NdVectorBuffer(DataType.DOUBLE, 3);
        NdVectorBuffer h = new NdVectorBuffer(DataType.HALF, 3);
        for (NdVectorBuffer other : new NdVectorBuffer[] {d, h}) {
            e = assertThrows(IllegalArgumentException.class, () -> f.addScaled(1.0, other));
            assertTrue(e.getMessage().contains(other.dataType().toString()) && e.getMessage().contains("FLOAT"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> f.dot(other));
            assertThrows(IllegalArgumentException.class, () -> f.assign(other));
            assertThrows(IllegalArgumentException.class, () -> other.dot(f));
        }
        assertArrayEquals(new double[] {1, 2, 3}, f.toDoubleArray());

        assertThrows(IllegalArgumentException.class, () -> new NdVectorBuffer(DataType.INT, 3));
        assertThrows(IllegalArgumentException.class, () -> new NdVectorBuffer(DataType.FLOAT, 0));
        assertThrows(IllegalArgumentException.class, () -> new ArrayVectorBuffer(0));
        assertThrows(IllegalArgumentException.class, () -> new ArrayVectorBuffer(-3));
    }

    @Test
    void ndInputViewsAreReadAtTheirOffsetAndStride() {
        // A gradient is often a view into a larger array: a row (offset) or a column (stride).
        INDArray m = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
        for (DataType t : new DataType[] {DataType.DOUBLE, DataType.FLOAT, DataType.HALF}) {
            INDArray mt = m.castTo(t);
            VectorBuffer b = new NdVectorBuffer(t, 3);
            b.assign(new VectorRef().set(mt.getRow(1)));
            assertArrayEquals(new double[] {4, 5, 6}, b.toDoubleArray(), 0.0, t + " row");
            b.add(new VectorRef().set(mt.getColumn(2)));
            assertArrayEquals(new double[] {7, 11, 15}, b.toDoubleArray(), 0.0, t + " row + column");
            b.assign(new VectorRef().set(mt.getColumn(0)));
            assertArrayEquals(new double[] {1, 4, 7}, b.toDoubleArray(), 0.0, t + " column");
            VectorBuffer c = b.newZero();
            c.difference(new VectorRef().set(mt.getRow(2)), b);
            assertArrayEquals(new double[] {6, 4, 2}, c.toDoubleArray(), 0.0, t + " row - column");
        }
    }

    @Test
    void vectorRefAcceptsVectorsAndRejectsTheRest() {
        VectorRef r = new VectorRef();
        r.set(Nd4j.createFromArray(new double[][] {{1, 2, 3}}));
        assertTrue(r.isNd());
        assertEquals(3, r.dim());
        assertEquals(1, r.nd().rank());
        r.set(Nd4j.createFromArray(new float[][] {{1}, {2}}));
        assertEquals(2, r.dim());
        assertEquals(DataType.FLOAT, r.dataType());
        assertThrows(IllegalArgumentException.class, () -> r.set(Nd4j.zeros(DataType.DOUBLE, 2, 3)));
        assertThrows(IllegalArgumentException.class, () -> r.set(Nd4j.createFromArray(1, 2, 3)));
        assertThrows(IllegalArgumentException.class, () -> r.set((INDArray) null));
        assertThrows(IllegalArgumentException.class, () -> r.set(null, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> r.set(new double[4], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> r.set(new double[4], -1, 2));
        assertThrows(IllegalArgumentException.class, () -> r.set(new double[4], 0, 0));
        r.set(new double[] {0, 1, Double.NaN, 3}, 1, 3);
        assertFalse(r.isNd());
        assertEquals(DataType.DOUBLE, r.dataType());
        assertEquals(1, r.firstNonFinite());
        assertEquals(-1, new VectorRef().set(new double[] {0, 1, Double.NaN, 3}, 0, 2).firstNonFinite());
        assertEquals(2, new VectorRef().set(Nd4j.createFromArray(1f, 2f, Float.POSITIVE_INFINITY)).firstNonFinite());
        assertInstanceOf(NdVectorBuffer.class, VectorBuffer.like(new VectorRef().set(Nd4j.zeros(DataType.HALF, 2)), 4));
        assertEquals(DataType.HALF, VectorBuffer.like(new VectorRef().set(Nd4j.zeros(DataType.HALF, 2)), 4).dataType());
        assertInstanceOf(ArrayVectorBuffer.class, VectorBuffer.like(r, 4));
        assertEquals(4, VectorBuffer.like(r, 4).dim());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void firstNonFinite(Kind k) {
        VectorBuffer b = k.buffer(A);
        assertEquals(-1, b.firstNonFinite());
        b.setFrom(new double[] {1, 2, Double.POSITIVE_INFINITY, Double.NaN, 0});
        assertEquals(2, b.firstNonFinite());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void writeTypedReadTypedRoundTrip(Kind k) throws IOException {
        VectorBuffer b = k.buffer(A);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        VectorBuffer.writeTyped(out, b);
        VectorBuffer.writeTyped(out, null);
        b.write(out);
        out.flush();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        VectorBuffer back = VectorBuffer.readTyped(in);
        assertEquals(b.getClass(), back.getClass());
        assertEquals(b.dataType(), back.dataType());
        assertTrue(back.sameShape(b));
        assertArrayEquals(A, back.toDoubleArray());
        assertNull(VectorBuffer.readTyped(in));
        VectorBuffer plain = k.buffer(5);
        plain.read(in);
        assertArrayEquals(A, plain.toDoubleArray());
        assertEquals(0, in.available());
    }

    @Test
    void readRejectsCorruptInput() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        new ArrayVectorBuffer(3).write(out);
        out.flush();
        VectorBuffer other = new ArrayVectorBuffer(4);
        assertThrows(IOException.class, () -> other.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
        byte[] badKind = {7};
        assertThrows(IOException.class, () -> VectorBuffer.readTyped(new DataInputStream(new ByteArrayInputStream(badKind))));
    }
}
