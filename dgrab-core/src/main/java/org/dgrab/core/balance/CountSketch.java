package org.dgrab.core.balance;

import org.dgrab.core.random.SplitMix64;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterAdd;
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
    private static final long SKETCH_STREAM = 0x534B_4554L;

    private final int inputDim;
    private final int k;
    private final int[] bucket;
    private final double[] sign;
    private INDArray ndIndices;

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
        SplitMix64 rng = new SplitMix64(SplitMix64.derive(seed, SKETCH_STREAM, inputDim, k));
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
     * Per-thread temporary storage for ND4J sketching (signed copy of the input and the sign vector in the input's
     * data type).
     */
    public static final class Scratch {
        private INDArray signed;
        private INDArray signs;
    }

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
            java.util.Arrays.fill(o, 0.0);
            double[] a = x.array();
            int off = x.offset();
            for (int j = 0; j < inputDim; j++) {
                o[bucket[j]] += sign[j] * a[off + j];
            }
        }
    }

    private void applyNd(INDArray x, NdVectorBuffer out, Scratch s) {
        DataType t = x.dataType();
        synchronized (this) {
            if (ndIndices == null) {
                ndIndices = Nd4j.createFromArray(bucket);
            }
        }
        if (s.signs == null || s.signs.dataType() != t) {
            s.signs = Nd4j.createFromArray(sign).castTo(t);
            s.signed = Nd4j.create(t, inputDim);
        }
        // Three native ops, all in place: signed = x * σ, out = 0, out[h(j)] += signed[j].
        x.mul(s.signs, s.signed);
        INDArray o = out.array();
        o.assign(0);
        ScatterAdd scatter = new ScatterAdd(o, ndIndices, s.signed);
        // Without an explicit output the op writes into a new array that is then dropped, leaving out = 0.
        scatter.addOutputArgument(o);
        // lock = true: accumulate serially; unlocked, parallel threads lose updates to buckets hit repeatedly.
        scatter.addBArgument(true);
        Nd4j.getExecutioner().exec(scatter);
    }
}
