package org.dgrab.core.internal.balance;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

import org.dgrab.core.internal.random.Seeds;
import org.dgrab.core.internal.random.SplitMix64;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded count-sketch {@code S: R^d -> R^k}: coordinate {@code j} is multiplied by a random sign {@code σ(j)} and
 * added into bucket {@code h(j)}. It is linear, so sketching a pair difference equals the difference of the
 * sketches, and {@code E<Sx, Sy> = <x, y>}, so balancing sketches approximately balances the full vectors while a
 * report costs {@code k} numbers instead of {@code d}.
 *
 * <p>The hash and signs depend only on (seed, d, k), so every worker that builds a sketch with the same seed builds
 * the same one. One instance may be shared by threads only if each thread sketches into its own output buffer and
 * uses its own {@link Scratch}.
 */
public final class CountSketch {

    private final int inputDim;
    private final int k;
    private final int[] bucket;
    private final double[] sign;

    /**
     * @param seed     seed shared by all workers
     * @param inputDim input dimension d, positive
     * @param k        sketch dimension, {@code 1 <= k <= d}
     */
    public CountSketch(long seed, int inputDim, int k) {
        if (inputDim <= 0) {
            throw new IllegalArgumentException("input dimension must be positive, got " + inputDim);
        }
        if (k <= 0 || k > inputDim) {
            throw new IllegalArgumentException("sketch dimension must be in [1, " + inputDim + "], got " + k);
        }
        this.inputDim = inputDim;
        this.k = k;
        this.bucket = new int[inputDim];
        this.sign = new double[inputDim];
        SplitMix64 rng = new SplitMix64(Seeds.sketch(seed, inputDim, k));
        for (int j = 0; j < inputDim; j++) {
            bucket[j] = rng.nextInt(k);
            sign[j] = (rng.nextLong() & 1L) == 0 ? 1.0 : -1.0;
        }
    }

    /** @return input dimension d */
    public int inputDim() {
        return inputDim;
    }

    /** @return sketch dimension k */
    public int sketchDim() {
        return k;
    }

    /**
     * Per-thread temporary storage for ND4J sketching: the {@code k} bucket sums, accumulated in double precision
     * like the {@code double[]} path.
     */
    public static final class Scratch {
        private double[] sums;
        private float[] floatChunk;
        private double[] doubleChunk;
    }

    /** Elements copied from native memory to the heap at a time (bulk copies, then a plain array loop). */
    private static final int CHUNK = 4096;

    /**
     * Sketches {@code x} into {@code out} ({@code out = S x}).
     *
     * @param x       input of dimension d (ND4J or array)
     * @param out     output buffer of dimension k, same kind as the input
     * @param scratch this thread's scratch storage (may be fresh)
     */
    public void apply(VectorRef x, VectorBuffer out, Scratch scratch) {
        if (x.dim() != inputDim) {
            throw new IllegalArgumentException("sketch input has " + x.dim() + " elements, expected " + inputDim);
        }
        if (out.dim() != k) {
            throw new IllegalArgumentException("sketch output has " + out.dim() + " elements, expected " + k);
        }
        if (x.isNd()) {
            applyNd(x.nd(), (NdVectorBuffer) out, scratch);
        } else {
            double[] o = ((ArrayVectorBuffer) out).values();
            Arrays.fill(o, 0.0);
            double[] a = x.array();
            int off = x.offset();
            for (int j = 0; j < inputDim; j++) {
                o[bucket[j]] += sign[j] * a[off + j];
            }
        }
    }

    private void applyNd(INDArray x, NdVectorBuffer out, Scratch s) {
        // A host loop over the gradient, not ND4J's scatter_add or segment ops: at d = 10^6, k = 1024 those take
        // 0.1 to 1 s per call on the CPU backend (scatter_add also has to be told to write in place and to lock,
        // or it returns zeros or races on repeated buckets), while this loop takes a few milliseconds.
        if (s.sums == null || s.sums.length != k) {
            s.sums = new double[k];
        }
        double[] sums = s.sums;
        Arrays.fill(sums, 0.0);
        if (!accumulateInPlace(x, sums, s)) {
            // Data that may live on a GPU, HALF/BFLOAT16, or a strided view: one host copy.
            double[] a = x.toDoubleVector();
            for (int j = 0; j < inputDim; j++) {
                sums[bucket[j]] += sign[j] * a[j];
            }
        }
        // Element-wise put through the data buffer: no allocation, and backends that mirror host and device memory
        // see the host write.
        out.array().data().setData(sums);
    }

    /** Reads a contiguous FLOAT or DOUBLE CPU vector from its native memory; returns false if it cannot. */
    private boolean accumulateInPlace(INDArray x, double[] sums, Scratch s) {
        if (Nd4j.getExecutioner().type() != OpExecutioner.ExecutionerType.NATIVE_CPU || x.offset() != 0
                || x.elementWiseStride() != 1) {
            return false;
        }
        if (x.dataType() == DataType.FLOAT) {
            if (s.floatChunk == null) {
                s.floatChunk = new float[CHUNK];
            }
            float[] c = s.floatChunk;
            FloatBuffer a = x.data().asNioFloat();
            for (int start = 0; start < inputDim; start += CHUNK) {
                int n = Math.min(CHUNK, inputDim - start);
                a.get(start, c, 0, n);
                for (int i = 0; i < n; i++) {
                    int j = start + i;
                    sums[bucket[j]] += sign[j] * c[i];
                }
            }
            return true;
        }
        if (x.dataType() == DataType.DOUBLE) {
            if (s.doubleChunk == null) {
                s.doubleChunk = new double[CHUNK];
            }
            double[] c = s.doubleChunk;
            DoubleBuffer a = x.data().asNioDouble();
            for (int start = 0; start < inputDim; start += CHUNK) {
                int n = Math.min(CHUNK, inputDim - start);
                a.get(start, c, 0, n);
                for (int i = 0; i < n; i++) {
                    int j = start + i;
                    sums[bucket[j]] += sign[j] * c[i];
                }
            }
            return true;
        }
        return false;
    }
}
