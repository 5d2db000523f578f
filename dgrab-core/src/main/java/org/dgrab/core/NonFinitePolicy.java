package org.dgrab.core;

/**
 * What a gradient strategy does when a gradient (or a pair difference) contains NaN or an infinity.
 */
public enum NonFinitePolicy {
    /** Throw {@link NonFiniteGradientException} naming worker, epoch and step; the strategy's state is unchanged. */
    FAIL,
    /**
     * Log a warning and place the unit (or pair) as if its sign were +1, without adding it to any running sum or
     * mean. Every unit still appears exactly once in the next order; the skip is counted.
     */
    SKIP
}
