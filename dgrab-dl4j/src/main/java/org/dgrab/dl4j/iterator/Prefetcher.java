package org.dgrab.dl4j.iterator;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads an epoch's served batches ahead of the consumer, in serving order, on a thread of its own (bounded queue,
 * as DL4J's {@code AsyncDataSetIterator}), so that a training thread waits on disk only when the disk does not keep
 * up. A load that fails is rethrown by {@link #take} of that batch, on the consumer's thread; loading stops there.
 *
 * <p>Call order, from one consumer thread: {@link #take} batches in increasing order ({@link #take} of any other
 * batch than the next one restarts loading there: a rewind, a restored checkpoint, a new epoch), {@link #stop} when
 * the batches' recipe changes (a new epoch's orders), {@link #close} at the end. One loader thread reads, so a
 * source is never read by two threads at once.
 */
final class Prefetcher {
    /** Loads served batch {@code k} of the current recipe. */
    interface Loader {
        Object load(int batch) throws Exception;
    }

    /** A loaded batch (or its failure) of one generation of loading. */
    private record Item(long generation, int batch, Object value, Exception failure) {
    }

    /** How long the loader thread outlives its last run (so an iterator nobody closes leaves no thread behind). */
    private static final long IDLE_SECONDS = 30;

    private final ArrayBlockingQueue<Item> queue;
    /**
     * One loader thread for every epoch, not one per epoch: its reading workspace and its native allocator's
     * per-thread memory are reused, not created again for every epoch and left for the garbage collector.
     */
    private final ThreadPoolExecutor executor;
    private volatile long generation;
    private Future<?> run;
    private int expected = -1;

    /**
     * @param depth batches loaded ahead, {@code >= 1}
     * @param name  thread name
     */
    Prefetcher(int depth, String name) {
        this.queue = new ArrayBlockingQueue<>(depth);
        this.executor = new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(() -> {
                try {
                    r.run();
                } finally {
                    // Loads may read inside a workspace of this thread (data.LoadWorkspace): free it with the thread.
                    Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
                }
            }, name);
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Returns served batch {@code batch}, loading from there on if it is not the next one loaded.
     *
     * @param batch  the batch wanted
     * @param end    end (exclusive) of the batches to load ahead
     * @param loader loads a batch of the current recipe
     * @return the loaded batch
     * @throws Exception the loader's failure for this batch
     */
    Object take(int batch, int end, Loader loader) throws Exception {
        if (run == null || expected != batch) {
            start(batch, end, loader);
        }
        while (true) {
            Item it;
            try {
                it = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for batch " + batch + " to load", e);
            }
            if (it.generation() != generation) {
                continue;
            }
            if (it.failure() != null) {
                stop();
                throw it.failure();
            }
            expected = batch + 1;
            return it.value();
        }
    }

    private void start(int from, int end, Loader loader) {
        stop();
        long gen = generation;
        expected = from;
        run = executor.submit(() -> loadAhead(gen, from, end, loader));
    }

    private void loadAhead(long gen, int from, int end, Loader loader) {
        for (int k = from; k < end && generation == gen; k++) {
            Item it;
            try {
                it = new Item(gen, k, loader.load(k), null);
            } catch (Exception e) {
                it = new Item(gen, k, null, e);
            } catch (Error e) {
                // Handed to the consumer too (as the cause), or it would wait for this batch forever.
                it = new Item(gen, k, null, new java.util.concurrent.ExecutionException(e.toString(), e));
            }
            try {
                while (!queue.offer(it, 50, TimeUnit.MILLISECONDS)) {
                    if (generation != gen) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
            if (it.failure() != null) {
                return;
            }
        }
    }

    /** Stops loading and drops what was loaded ahead; waits for a load in progress to finish. */
    void stop() {
        generation++;
        Future<?> r = run;
        run = null;
        expected = -1;
        if (r == null) {
            return;
        }
        queue.clear();
        boolean interrupted = false;
        while (!r.isDone()) {
            try {
                r.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // The loader may be blocked offering to a full queue: the clear below lets it see the new generation.
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | CancellationException e) {
                break;
            }
            queue.clear();
        }
        queue.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops loading and ends the loader thread. */
    void close() {
        stop();
        executor.shutdown();
    }
}
