package org.dgrab.dl4j.iterator;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The drop-in iterator's own thread for observing gradients, so that balancing (pair differences, the
 * coordinator's dot products and updates over gradient-long vectors) runs beside training instead of on the
 * training threads. With ParallelWrapper and averaging every step, every worker waits for the slowest one at each
 * step, so ordering work on any one training thread lengthens every step; on this thread it fills the pauses in
 * which the workers wait for averaging.
 *
 * <p>One thread, first in first out: the observations of one worker, submitted by the thread that trains it, run
 * in the order they were trained, which is all a strategy needs (the coordinator puts workers in canonical order
 * itself), so orders are the same as with observing on the training threads. At most {@code capacity}
 * observations wait at a time: {@link #acquire()} blocks the training thread beyond that, which bounds the memory
 * of gradient copies. The thread ends after 10 s without work and starts again on demand, so an iterator that is
 * never closed leaves no thread behind for long.
 *
 * <p>Call order per observation: {@link #acquire()}, then {@link #submit} (or {@link #cancel()} if the
 * observation could not be prepared). {@link #shutdown()} when the iterator is closed.
 */
final class ObserverThread {
    private final Semaphore slots;
    private final ThreadPoolExecutor executor;

    /** @param capacity observations that may wait at a time, {@code >= 1} */
    ObserverThread(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.slots = new Semaphore(capacity);
        this.executor = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "dgrab-observer");
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Waits for room for one more observation.
     *
     * @throws IllegalStateException if interrupted (the interrupt flag is kept)
     */
    void acquire() {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for dgrab's observer thread", e);
        }
    }

    /** Gives back the room taken by {@link #acquire()} for an observation that will not be submitted. */
    void cancel() {
        slots.release();
    }

    /**
     * Runs an observation on the observer thread, after those submitted before it.
     *
     * @param observation what to run; must not touch arrays the training thread will overwrite
     * @param done        called on the observer thread afterwards with the observation's failure, or null
     */
    void submit(Runnable observation, Consumer<Throwable> done) {
        executor.execute(() -> {
            Throwable failure = null;
            try {
                observation.run();
            } catch (Throwable t) {
                failure = t;
            } finally {
                slots.release();
            }
            done.accept(failure);
        });
    }

    /** Lets submitted observations finish and ends the thread. */
    void shutdown() {
        executor.shutdown();
    }
}
