package org.dgrab.dl4j.trainer;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread on which an asynchronous pipeline hands unit gradients to the ordering, in submission order. After a
 * task fails, the remaining tasks are skipped and the first failure is rethrown by every later {@link #await}, so
 * the trainer throws the same exception the synchronous path would have thrown, a few worker steps later. Call
 * order: {@link #submit} from the training thread, {@link #await} / {@link #awaitAll()} when the training thread
 * needs a task done, {@link #settle()} before a restore, {@link #close()} at the end.
 */
final class OrderingThread implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OrderingThread.class);

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dgrab-ordering");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private Future<?> last;

    /**
     * @param task reads gradients and hands them to the ordering
     * @return the task's future, to {@link #await} before whatever it reads is overwritten
     */
    Future<?> submit(Runnable task) {
        Future<?> f = executor.submit(() -> {
            if (failure.get() != null) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        });
        last = f;
        return f;
    }

    /**
     * Waits for a task (null: none) and rethrows the first failure of any task so far.
     *
     * @param task the task's future, or null
     */
    void await(Future<?> task) {
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
    void awaitAll() {
        await(last);
    }

    /**
     * Before a restore: waits for the submitted tasks and forgets a failure, since the restored state replaces
     * whatever the failed (and the skipped) observations left behind.
     */
    void settle() {
        try {
            awaitAll();
        } catch (RuntimeException e) {
            log.info("restoring a checkpoint after an ordering failure: {}", e.getMessage());
        }
        failure.set(null);
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
