package org.dgrab.dl4j.iterator;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The gradients an {@link OrderingSession} has matched to served batches but whose observation by the strategy has
 * not finished (on the observer thread, or on another worker's training thread), the observer thread's failure, and
 * the waits for both. Every method is called while holding the session's lock, which is also what {@link #await}
 * waits on; the end of an observation must {@code notifyAll} on it.
 */
final class Observations {
    private final Object lock;
    private final Duration timeout;
    private int inFlight;
    /** The observer thread's failure: the ordering missed a gradient and cannot go on. */
    private IllegalStateException failure;

    /**
     * @param lock    the session's lock
     * @param timeout how long a wait may take (the ordering's sign timeout)
     */
    Observations(Object lock, Duration timeout) {
        this.lock = lock;
        this.timeout = timeout;
    }

    /** @return observations in progress */
    int inFlight() {
        return inFlight;
    }

    /** A gradient was matched and handed to the strategy. */
    void begin() {
        inFlight++;
    }

    /** An observation ended, whether or not its gradients reached the strategy. */
    void end() {
        inFlight--;
    }

    /**
     * Keeps the first failure of the observer thread, to be rethrown by the next call of any thread.
     *
     * @param e the failure
     */
    void fail(IllegalStateException e) {
        if (failure == null) {
            failure = e;
        }
    }

    /** Rethrows, on the calling thread, the observer thread's failure. */
    void check() {
        if (failure != null) {
            throw new IllegalStateException(failure.getMessage(), failure.getCause());
        }
    }

    /**
     * Waits until no gradient is being observed, up to the timeout.
     *
     * @param what what needs the quiet, for the message
     */
    void awaitNone(String what) {
        await(() -> inFlight == 0, what, () -> new IllegalStateException("cannot " + what + " while " + inFlight
                + " gradient(s) are being observed: waited " + timeout + " for them"));
        check();
    }

    /**
     * Waits on the lock, up to the timeout, rethrowing the observer thread's failure.
     *
     * @param until    the condition waited for, read under the lock
     * @param what     what waits, for the message on interrupt
     * @param timedOut the refusal after the timeout
     */
    void await(BooleanSupplier until, String what, Supplier<IllegalStateException> timedOut) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!until.getAsBoolean()) {
            check();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw timedOut.get();
            }
            try {
                lock.wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while trying to " + what, e);
            }
        }
    }
}
