package org.dgrab.core;

/**
 * Thrown when a gradient handed to a strategy contains NaN or an infinity under {@link NonFinitePolicy#FAIL}.
 * It names the worker, epoch, step and unit, so that the bad example can be found.
 */
public class NonFiniteGradientException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int worker;
    private final int epoch;
    private final int step;
    private final int unit;

    /**
     * @param worker worker id
     * @param epoch  epoch
     * @param step   step within the worker's epoch
     * @param unit   the unit visited at that step
     * @param detail what was found, for the message
     */
    public NonFiniteGradientException(int worker, int epoch, int step, int unit, String detail) {
        super("non-finite gradient from worker " + worker + " in epoch " + epoch + " at step " + step + " (unit " + unit
                + "): " + detail);
        this.worker = worker;
        this.epoch = epoch;
        this.step = step;
        this.unit = unit;
    }

    /** @return worker id */
    public int worker() {
        return worker;
    }

    /** @return epoch */
    public int epoch() {
        return epoch;
    }

    /** @return step within the worker's epoch */
    public int step() {
        return step;
    }

    /** @return the unit visited at that step */
    public int unit() {
        return unit;
    }
}
