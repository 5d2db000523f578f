package org.dgrab.core.balance;

import java.util.random.RandomGenerator;

/**
 * Chooses the sign {@code s} in {@code r += s * d} from the inner product {@code <r, d>} of the running sum and the
 * new vector. Immutable configuration; the random state of the probabilistic rule is owned by the caller
 * (the balancer) so that it can be checkpointed.
 */
public abstract class SignRule {
    private SignRule() {
    }

    /**
     * The greedy rule of GraB and CD-GraB: {@code s = +1} iff {@code <r, d> <= 0}, which is the same as choosing
     * the sign that gives the shorter {@code ||r + s d||}.
     *
     * @return the deterministic rule
     */
    public static SignRule deterministic() {
        return Deterministic.INSTANCE;
    }

    /**
     * The self-balancing walk of Alweiss, Liu and Sawhney: {@code s = +1} with probability
     * {@code 1/2 - <r, d> / (2c)}, clamped to {@code [0, 1]}. Larger {@code c} means more randomness; the theory
     * uses {@code c ~ log(n/δ)} times the largest vector norm.
     *
     * @param c the constant, positive and finite
     * @return the probabilistic rule
     */
    public static SignRule probabilistic(double c) {
        if (!(c > 0) || Double.isInfinite(c)) {
            throw new IllegalArgumentException("probabilistic sign rule needs a positive finite constant c, got " + c);
        }
        return new Probabilistic(c);
    }

    /**
     * Parses {@link #toString()} output: {@code deterministic} or {@code probabilistic(c)}.
     *
     * @param text the description
     * @return the rule
     */
    public static SignRule parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("sign rule is null; expected 'deterministic' or 'probabilistic(c)'");
        }
        String t = text.trim();
        if (t.equals("deterministic")) {
            return deterministic();
        }
        if (t.startsWith("probabilistic(") && t.endsWith(")")) {
            return probabilistic(Double.parseDouble(t.substring("probabilistic(".length(), t.length() - 1)));
        }
        throw new IllegalArgumentException("unknown sign rule '" + text + "'; expected 'deterministic' or 'probabilistic(c)'");
    }

    /**
     * Picks a sign.
     *
     * @param dot {@code <r, d>}, finite
     * @param rng generator, used only by random rules, which draw one {@link RandomGenerator#nextDouble()} per call
     *            (dgrab passes its checkpointable SplitMix64, so a restored run draws the same numbers)
     * @return +1 or -1
     */
    public abstract int sign(double dot, RandomGenerator rng);

    /** @return true if {@link #sign} reads the generator */
    public abstract boolean isRandom();

    /**
     * @return the constant {@code c} of the probabilistic rule, or 0 for the deterministic rule, which has none
     *         (checkpoints store the rule as {@link #isRandom()} and this value)
     */
    public abstract double constant();

    private static final class Deterministic extends SignRule {
        static final Deterministic INSTANCE = new Deterministic();

        @Override
        public int sign(double dot, RandomGenerator rng) {
            return dot <= 0 ? 1 : -1;
        }

        @Override
        public boolean isRandom() {
            return false;
        }

        @Override
        public double constant() {
            return 0;
        }

        @Override
        public String toString() {
            return "deterministic";
        }
    }

    private static final class Probabilistic extends SignRule {
        private final double c;

        Probabilistic(double c) {
            this.c = c;
        }

        @Override
        public int sign(double dot, RandomGenerator rng) {
            double p = Math.min(1.0, Math.max(0.0, 0.5 - dot / (2.0 * c)));
            return rng.nextDouble() < p ? 1 : -1;
        }

        @Override
        public boolean isRandom() {
            return true;
        }

        @Override
        public double constant() {
            return c;
        }

        @Override
        public String toString() {
            return "probabilistic(" + c + ")";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Probabilistic && ((Probabilistic) o).c == c;
        }

        @Override
        public int hashCode() {
            return Double.hashCode(c);
        }
    }
}
