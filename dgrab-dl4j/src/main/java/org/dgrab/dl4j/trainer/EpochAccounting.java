package org.dgrab.dl4j.trainer;

import org.dgrab.core.OrderingStats;

/**
 * The running totals of the current epoch that become its {@link EpochStats}: loss weighted by examples, examples,
 * wall time, time in the ordering, and the ordering's message counters at the start of the epoch. Call order:
 * {@link #start} at the first step of an epoch, {@link #step}, {@link #addSeconds} and {@link #addOrderingSeconds}
 * during it, {@link #finish} after its last step; {@link #state()} / {@link #restore} for checkpoints.
 */
final class EpochAccounting {
    private State state = State.EMPTY;

    /**
     * The totals, as a checkpoint holds them.
     *
     * @param lossSum              sum of step scores weighted by their examples
     * @param examples             examples trained so far in the epoch
     * @param orderingSeconds      seconds spent ending epochs in the ordering (observing is added at the end)
     * @param seconds              wall time of the epoch so far
     * @param messagesAtEpochStart the ordering's message count when the epoch started
     * @param bytesAtEpochStart    the ordering's byte count when the epoch started
     */
    record State(double lossSum, long examples, double orderingSeconds, double seconds, long messagesAtEpochStart,
                 long bytesAtEpochStart) {
        static final State EMPTY = new State(0, 0, 0, 0, 0, 0);

        /** @throws IllegalArgumentException naming the first field out of range */
        State {
            check(examples >= 0, "examples", examples);
            check(orderingSeconds >= 0 && Double.isFinite(orderingSeconds), "orderingSeconds", orderingSeconds);
            check(seconds >= 0 && Double.isFinite(seconds), "seconds", seconds);
            check(messagesAtEpochStart >= 0, "messagesAtEpochStart", messagesAtEpochStart);
            check(bytesAtEpochStart >= 0, "bytesAtEpochStart", bytesAtEpochStart);
        }

        private static void check(boolean ok, String field, Object value) {
            if (!ok) {
                throw new IllegalArgumentException("epoch total " + field + " must be finite and >= 0, got " + value);
            }
        }
    }

    /**
     * Starts an epoch.
     *
     * @param c the ordering's counters ({@link org.dgrab.core.OrderingStrategy#stats()})
     */
    void start(OrderingStats c) {
        state = new State(0, 0, 0, 0, c.messages(), c.bytes());
    }

    /**
     * Adds a step.
     *
     * @param lossSum  the step's scores weighted by their examples
     * @param examples the step's examples
     */
    void step(double lossSum, long examples) {
        State s = state;
        state = new State(s.lossSum + lossSum, s.examples + examples, s.orderingSeconds, s.seconds,
                s.messagesAtEpochStart, s.bytesAtEpochStart);
    }

    /** @param seconds wall time to add */
    void addSeconds(double seconds) {
        State s = state;
        state = new State(s.lossSum, s.examples, s.orderingSeconds, s.seconds + seconds, s.messagesAtEpochStart,
                s.bytesAtEpochStart);
    }

    /** @param seconds time spent in the ordering on the training thread, to add */
    void addOrderingSeconds(double seconds) {
        State s = state;
        state = new State(s.lossSum, s.examples, s.orderingSeconds + seconds, s.seconds, s.messagesAtEpochStart,
                s.bytesAtEpochStart);
    }

    /**
     * Ends the epoch and starts counting from zero.
     *
     * @param epoch        the epoch's index
     * @param steps        its steps
     * @param observeNanos time the sinks spent observing gradients during the epoch
     * @param c            the ordering's counters now
     * @return the epoch's statistics
     */
    EpochStats finish(int epoch, int steps, long observeNanos, OrderingStats c) {
        State s = state;
        EpochStats stats = new EpochStats(epoch, s.examples == 0 ? Double.NaN : s.lossSum / s.examples, s.seconds,
                s.orderingSeconds + observeNanos / 1e9, steps, s.examples,
                c.messages() - s.messagesAtEpochStart, c.bytes() - s.bytesAtEpochStart);
        state = State.EMPTY;
        return stats;
    }

    /** @return the totals so far */
    State state() {
        return state;
    }

    /** @param restored totals read from a checkpoint */
    void restore(State restored) {
        state = restored;
    }
}
