package org.dgrab.dl4j.internal.gradient;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread on which unit gradients reach the ordering off the training threads, for the data-parallel
 * trainer's asynchronous ordering and for the drop-in iterators' observer thread alike: tasks run one at a time, in
 * submission order, which is all a strategy needs (the observations of one worker arrive in the order they were
 * trained, and the coordinator puts workers in canonical order itself), so orders are the same as on the training
 * thread.
 *
 * <p>At most {@code capacity} tasks are submitted and not yet finished: {@link #reserve()} blocks beyond that, which
 * bounds whatever the tasks hold (gradient copies, heap scratch). After a task fails, the remaining tasks are
 * skipped and the first failure is rethrown by every later {@link #await} until {@link #settle()}, so a caller
 * throws the same exception the synchronous path would have thrown, a few steps later. The thread ends after
 * {@value #IDLE_SECONDS} s without work and starts again on demand, so an owner that is never closed (an iterator
 * nobody closes) leaves no thread behind for long.
 *
 * <p>Call order: {@link #reserve()} then {@link Slot#submit} or {@link Slot#cancel()} (or {@link #submit}, both
 * at once); {@link #await} / {@link #awaitAll()} when the caller needs a task done; {@link #settle()} before a
 * restore; {@link #shutdown()} (no wait) or {@link #close()} (waits for the running task) at the end.
 */
public final class OrderingThread implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OrderingThread.class);
    private static final long IDLE_SECONDS = 10;

    private final Semaphore slots;
    private final ThreadPoolExecutor executor;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private volatile Future<?> last;

    /**
     * Room for one task, taken by {@link #reserve()}: submit a task in it, or cancel it. Used once.
     */
    public final class Slot {
        private boolean used;

        private Slot() {
        }

        /**
         * Runs a task after those submitted before it.
         *
         * @param task reads gradients and hands them to the ordering; must not touch arrays the training thread will
         *             overwrite before the task's future is awaited
         * @return the task's future, to {@link #await} before whatever it reads is overwritten
         */
        public Future<?> submit(Runnable task) {
            use();
            Future<?> f;
            try {
                f = executor.submit(() -> {
                    try {
                        if (failure.get() == null) {
                            task.run();
                        }
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        slots.release();
                    }
                });
            } catch (RuntimeException e) {
                slots.release();
                throw e;
            }
            last = f;
            return f;
        }

        /** Gives the room back unused (the task could not be prepared). */
        public void cancel() {
            use();
            slots.release();
        }

        private void use() {
            if (used) {
                throw new IllegalStateException("this slot of the ordering thread was already used");
            }
            used = true;
        }
    }

    /**
     * @param name     the thread's name
     * @param capacity tasks that may be submitted and not finished at a time, {@code >= 1}
     */
    public OrderingThread(String name, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.slots = new Semaphore(capacity);
        this.executor = new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Waits for room for one more task.
     *
     * @return the room, to submit a task in or cancel
     * @throws IllegalStateException if interrupted (the interrupt flag is kept)
     */
    public Slot reserve() {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for dgrab's ordering thread", e);
        }
        return new Slot();
    }

    /**
     * {@link #reserve()} and {@link Slot#submit} at once.
     *
     * @param task reads gradients and hands them to the ordering
     * @return the task's future
     */
    public Future<?> submit(Runnable task) {
        return reserve().submit(task);
    }

    /**
     * Waits for a task (null: none) and rethrows the first failure of any task so far.
     *
     * @param task the task's future, or null
     */
    public void await(Future<?> task) {
        if (task != null) {
            try {
                task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the ordering read gradients", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the ordering thread failed", e.getCause());
            }
        }
        RuntimeException f = failure.get();
        if (f != null) {
            throw f;
        }
    }

    /** Waits until every submitted task has run; rethrows the first failure. */
    public void awaitAll() {
        await(last);
    }

    /**
     * Before a restore: waits for the submitted tasks and forgets a failure, since the restored state replaces
     * whatever the failed (and the skipped) observations left behind.
     */
    public void settle() {
        try {
            awaitAll();
        } catch (RuntimeException e) {
            log.info("restoring a checkpoint after an ordering failure: {}", e.getMessage());
        }
        failure.set(null);
    }

    /** Lets the submitted tasks run and ends the thread afterwards, without waiting. */
    public void shutdown() {
        executor.shutdown();
    }

    /** Stops the thread, waiting for a running task (the strategy must not be closed under a running observe). */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
