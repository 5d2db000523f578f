package org.dgrab.core;

import java.util.function.LongToDoubleFunction;

import org.dgrab.core.internal.balance.VectorBuffer;
import org.dgrab.core.internal.balance.VectorRef;

/** Where a vector holds NaN or an infinity, as text for the messages of the non-finite policy. */
final class NonFiniteText {
    private NonFiniteText() {
    }

    /**
     * @param v vector
     * @return e.g. "NaN at index 3"
     */
    static String of(VectorRef v) {
        return where(v.firstNonFinite(), i -> v.isNd() ? v.nd().getDouble(i) : v.array()[v.offset() + (int) i]);
    }

    /**
     * @param v buffer
     * @return e.g. "Infinity at index 3", or that all values are finite (then an inner product overflowed)
     */
    static String of(VectorBuffer v) {
        double[] a = v.toDoubleArray();
        return where(v.firstNonFinite(), i -> a[(int) i]);
    }

    /** Where a pair's (or a lone unit's) non-finite value lies: the step and unit to name, and what was found. */
    record Pair(int step, int unit, String detail) {
    }

    /**
     * Names the gradient of a pair that holds the bad value: the pair's first one if it has one, else the second.
     *
     * @param step      the step that completed the pair (or the lone unit's step)
     * @param unit      the unit visited at that step
     * @param x         its gradient
     * @param first     the cached first gradient of the pair, or null for a lone unit
     * @param firstUnit the unit visited at {@code step - 1} (ignored for a lone unit)
     * @return where to report it
     */
    static Pair ofPair(int step, int unit, VectorRef x, VectorBuffer first, int firstUnit) {
        if (first == null) {
            return new Pair(step, unit, of(x));
        }
        if (first.firstNonFinite() >= 0) {
            return new Pair(step - 1, firstUnit, of(first) + " (first gradient of the pair of steps " + (step - 1)
                    + " and " + step + "; detected when the pair completed)");
        }
        return new Pair(step, unit, of(x) + " (second gradient of the pair of steps " + (step - 1) + " and " + step + ")");
    }

    private static String where(int index, LongToDoubleFunction value) {
        if (index < 0) {
            return "all values finite, but the inner product with the running sum overflowed";
        }
        return value.applyAsDouble(index) + " at index " + index;
    }
}
