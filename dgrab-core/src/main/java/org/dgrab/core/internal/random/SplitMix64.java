package org.dgrab.core.internal.random;

import java.util.random.RandomGenerator;

/**
 * A small, fast, seedable pseudo-random generator (Steele, Lea and Flood's SplitMix64) whose whole state is one
 * {@code long}, so that it can be checkpointed and restored exactly.
 *
 * <p>{@link java.util.SplittableRandom} has the same algorithm but hides its state; dgrab needs the state to write
 * ordering checkpoints that resume bit-for-bit. Not thread-safe: give each thread its own instance.
 *
 * <p>A {@link RandomGenerator}, so that public signatures (the probabilistic {@code SignRule}) can take the JDK's
 * interface; the methods dgrab draws from are overridden here and keep their own algorithms, so every stream stays
 * what it was (the interface's {@code nextInt(int)} and {@code nextGaussian()} draw differently).
 */
public final class SplitMix64 implements RandomGenerator {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    /**
     * Creates a generator.
     *
     * @param seed any value; equal seeds give equal streams
     */
    public SplitMix64(long seed) {
        this.state = seed;
    }

    /**
     * Derives a well-mixed seed from several integers, so that streams for (seed, epoch, worker, purpose) are
     * independent of each other even when the inputs differ in one bit.
     *
     * @param seed the user's seed
     * @param keys further components, in order
     * @return a mixed 64-bit seed
     */
    public static long derive(long seed, long... keys) {
        long h = mix(seed + GOLDEN_GAMMA);
        for (long k : keys) {
            h = mix(h + GOLDEN_GAMMA * (k + 1));
        }
        return h;
    }

    /**
     * The SplitMix64 finaliser: a bijective avalanche mix of 64 bits.
     *
     * @param z input
     * @return mixed output
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** @return the next 64 random bits */
    @Override
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /**
     * A uniform integer in {@code [0, bound)}, without modulo bias (rejection as in {@link java.util.Random}).
     *
     * @param bound exclusive upper bound, positive
     * @return the integer
     * @throws IllegalArgumentException if {@code bound <= 0}
     */
    @Override
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        int r = (int) (nextLong() >>> 33);
        int m = bound - 1;
        if ((bound & m) == 0) {
            return (int) ((bound * (long) r) >> 31);
        }
        for (int u = r; u - (r = u % bound) + m < 0; u = (int) (nextLong() >>> 33)) {
            // rejected: u fell in the incomplete last block of size bound
        }
        return r;
    }

    /** @return a uniform double in {@code [0, 1)} with 53 random bits */
    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** @return a standard normal variate (Box–Muller; one of the pair is discarded to keep the state one long) */
    @Override
    public double nextGaussian() {
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 == 0.0);
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** @return the full generator state, for checkpoints */
    public long state() {
        return state;
    }

    /**
     * Restores a state previously read with {@link #state()}.
     *
     * @param state the state
     */
    public void setState(long state) {
        this.state = state;
    }
}
