package org.dgrab.core.strategy;

import java.util.function.LongToDoubleFunction;

import org.dgrab.core.balance.VectorBuffer;
import org.dgrab.core.balance.VectorRef;

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

    private static String where(int index, LongToDoubleFunction value) {
        if (index < 0) {
            return "all values finite, but the inner product with the running sum overflowed";
        }
        return value.applyAsDouble(index) + " at index " + index;
    }
}
