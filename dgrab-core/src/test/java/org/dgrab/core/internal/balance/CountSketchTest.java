package org.dgrab.core.internal.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.dgrab.core.internal.random.SplitMix64;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class CountSketchTest {

    private static double[] gaussian(long seed, int d) {
        SplitMix64 r = new SplitMix64(seed);
        double[] x = new double[d];
        for (int i = 0; i < d; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    private static double[] sketch(CountSketch s, double[] x) {
        ArrayVectorBuffer out = new ArrayVectorBuffer(s.sketchDim());
        s.apply(new VectorRef().set(x, 0, x.length), out, new CountSketch.Scratch());
        return out.toDoubleArray();
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void eachCoordinateLandsInOneBucketWithASign() {
        int d = 50;
        int k = 7;
        CountSketch s = new CountSketch(3, d, k);
        assertEquals(d, s.inputDim());
        assertEquals(k, s.sketchDim());
        int[] perBucket = new int[k];
        for (int j = 0; j < d; j++) {
            double[] e = new double[d];
            e[j] = 1;
            double[] y = sketch(s, e);
            int nonZero = 0;
            for (int b = 0; b < k; b++) {
                if (y[b] != 0) {
                    nonZero++;
                    assertEquals(1.0, Math.abs(y[b]), 0.0);
                    perBucket[b]++;
                }
            }
            assertEquals(1, nonZero, "e_" + j + " must land in exactly one bucket");
        }
        for (int b = 0; b < k; b++) {
            assertTrue(perBucket[b] > 0, "bucket " + b + " never used: " + Arrays.toString(perBucket));
        }
    }

    @Test
    void sketchIsLinear() {
        int d = 200;
        CountSketch s = new CountSketch(11, d, 16);
        double[] a = gaussian(1, d);
        double[] b = gaussian(2, d);
        double[] diff = new double[d];
        double[] combo = new double[d];
        for (int i = 0; i < d; i++) {
            diff[i] = a[i] - b[i];
            combo[i] = 2.5 * a[i] + b[i];
        }
        double[] sa = sketch(s, a);
        double[] sb = sketch(s, b);
        double[] sd = sketch(s, diff);
        double[] sc = sketch(s, combo);
        for (int i = 0; i < 16; i++) {
            assertEquals(sa[i] - sb[i], sd[i], 1e-12);
            assertEquals(2.5 * sa[i] + sb[i], sc[i], 1e-12);
        }
        assertArrayEquals(new double[16], sketch(s, new double[d]));
    }

    @Test
    void sameSeedSameSketchOtherSeedOtherSketch() {
        int d = 300;
        double[] x = gaussian(5, d);
        double[] first = sketch(new CountSketch(42, d, 10), x);
        assertArrayEquals(first, sketch(new CountSketch(42, d, 10), x));
        assertFalse(Arrays.equals(first, sketch(new CountSketch(43, d, 10), x)));
        // reusing the output buffer overwrites, it does not accumulate
        CountSketch s = new CountSketch(42, d, 10);
        ArrayVectorBuffer out = new ArrayVectorBuffer(10);
        CountSketch.Scratch scratch = new CountSketch.Scratch();
        s.apply(new VectorRef().set(x, 0, d), out, scratch);
        s.apply(new VectorRef().set(x, 0, d), out, scratch);
        assertArrayEquals(first, out.toDoubleArray());
    }

    @Test
    void arraySliceAtAnOffsetIsSketchedLikeTheSlice() {
        int d = 40;
        double[] x = gaussian(8, d);
        double[] padded = new double[d + 10];
        Arrays.fill(padded, 1e9);
        System.arraycopy(x, 0, padded, 6, d);
        CountSketch s = new CountSketch(1, d, 5);
        ArrayVectorBuffer out = new ArrayVectorBuffer(5);
        s.apply(new VectorRef().set(padded, 6, d), out, new CountSketch.Scratch());
        assertArrayEquals(sketch(s, x), out.toDoubleArray(), 0.0);
    }

    @Test
    void nd4jPathEqualsArrayPath() {
        // Many coordinates per bucket, so every bucket sums many updates (a lost update would show).
        int[][] shapes = {{64, 64}, {1000, 16}, {200_000, 8}};
        for (int[] shape : shapes) {
            int d = shape[0];
            int k = shape[1];
            CountSketch s = new CountSketch(9, d, k);
            double[] x = gaussian(d, d);
            double[] expected = sketch(s, x);
            CountSketch.Scratch scratch = new CountSketch.Scratch();
            for (DataType t : new DataType[] {DataType.DOUBLE, DataType.FLOAT, DataType.DOUBLE}) {
                NdVectorBuffer out = new NdVectorBuffer(t, k);
                out.setFrom(gaussian(1, k)); // stale content must be overwritten
                for (int rep = 0; rep < 3; rep++) {
                    s.apply(new VectorRef().set(Nd4j.createFromArray(x).castTo(t)), out, scratch);
                    double[] got = out.toDoubleArray();
                    for (int b = 0; b < k; b++) {
                        // float: each bucket accumulates ~d/k values of size ~1 in single precision, so
                        // rounding grows with d/k; a lost update (size ~1) is still far above this
                        double tol = t == DataType.DOUBLE ? 1e-9 : 1e-6 * d / k;
                        assertEquals(expected[b], got[b], tol, t + " d=" + d + " k=" + k + " bucket " + b);
                    }
                }
            }
        }
    }

    @Test
    void innerProductIsPreservedInExpectation() {
        // E_S <Sx, Sy> = <x, y>; averaged over many seeds the mean converges.
        int d = 64;
        int k = 16;
        double[] x = gaussian(100, d);
        double[] noise = gaussian(101, d);
        double[] y = new double[d];
        for (int i = 0; i < d; i++) {
            y[i] = x[i] + 0.5 * noise[i];
        }
        double exact = dot(x, y);
        int seeds = 3000;
        double mean = 0;
        for (int seed = 0; seed < seeds; seed++) {
            CountSketch s = new CountSketch(seed, d, k);
            mean += dot(sketch(s, x), sketch(s, y));
        }
        mean /= seeds;
        // Var <Sx,Sy> <= (||x||^2 ||y||^2 + <x,y>^2) / k ~ (64 * 80 + 64^2) / 16 ~ 580: standard error ~ 0.44.
        assertEquals(exact, mean, 3.0, "mean over seeds " + mean + " vs exact " + exact);
    }

    @Test
    void largeSketchRoughlyPreservesNormsAndInnerProducts() {
        int d = 8192;
        int k = 4096;
        CountSketch s = new CountSketch(12, d, k);
        double[] x = gaussian(200, d);
        double[] z = gaussian(201, d);
        double[] y = new double[d];
        for (int i = 0; i < d; i++) {
            y[i] = x[i] + z[i];
        }
        double[] sx = sketch(s, x);
        double[] sy = sketch(s, y);
        double nx = dot(x, x);
        // relative standard deviation sqrt(2/k) ~ 2%
        assertEquals(nx, dot(sx, sx), 0.12 * nx);
        assertEquals(dot(x, y), dot(sx, sy), 0.12 * Math.sqrt(nx * dot(y, y)));
    }

    @Test
    void badDimensionsThrow() {
        assertThrows(IllegalArgumentException.class, () -> new CountSketch(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new CountSketch(0, -4, 1));
        assertThrows(IllegalArgumentException.class, () -> new CountSketch(0, 10, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CountSketch(0, 10, 11));
        assertTrue(e.getMessage().contains("10") && e.getMessage().contains("11"), e.getMessage());
        new CountSketch(0, 10, 10);
        CountSketch s = new CountSketch(0, 10, 4);
        CountSketch.Scratch scratch = new CountSketch.Scratch();
        e = assertThrows(IllegalArgumentException.class,
                () -> s.apply(new VectorRef().set(new double[9], 0, 9), new ArrayVectorBuffer(4), scratch));
        assertTrue(e.getMessage().contains("9") && e.getMessage().contains("10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> s.apply(new VectorRef().set(new double[10], 0, 10), new ArrayVectorBuffer(5), scratch));
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("4"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> s.apply(new VectorRef().set(Nd4j.zeros(DataType.FLOAT, 11)), new NdVectorBuffer(DataType.FLOAT, 4), scratch));
    }
}
