package org.dgrab.core.internal.protocol;

import java.time.Duration;

/**
 * Carries CD-GraB messages between workers and the coordinator. Implementations decide where the coordinator
 * runs (same process, another machine); the maths stays in {@link Coordinator} and {@link OrderingWorker}, so a
 * network transport only has to move {@link PairReport}s one way and {@link SignReply}s the other.
 *
 * <p>Thread-safe: every worker may call from its own thread.
 */
public interface Transport extends AutoCloseable {

    /**
     * Delivers a report. May return before the coordinator has balanced it (balancing is off the training path);
     * must copy what it keeps, since the worker reuses the report and its payload.
     *
     * @param report the report
     * @throws IllegalArgumentException if the coordinator rejects it (wrong worker, epoch or pair-step, twice,
     *                                  out of order, wrong dimension); nothing was recorded then
     */
    void report(PairReport report);

    /**
     * Waits until the coordinator has balanced every report of {@code epoch} and fills in this worker's signs.
     *
     * @param worker  worker id
     * @param epoch   epoch
     * @param reply   filled with the signs
     * @param timeout how long to wait
     * @throws IllegalStateException on timeout (saying which reports are missing), interruption or closure
     */
    void awaitSigns(int worker, int epoch, SignReply reply, Duration timeout);

    /** @return message and byte counters */
    CommunicationStats stats();

    /** Closes the transport; waiting workers are woken with an exception. */
    @Override
    void close();
}
