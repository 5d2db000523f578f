package org.dgrab.dl4j.iterator;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads an epoch's served batches ahead of the consumer, in serving order, on a thread of its own (bounded queue,
 * as DL4J's {@code AsyncDataSetIterator}), so that a training thread waits on disk only when the disk does not keep
 * up. A load that fails is rethrown by {@link #take} of that batch, on the consumer's thread; loading stops there.
 *
 * <p>Call order, from one consumer thread: {@link #take} batches in increasing order ({@link #take} of any other
 * batch than the next one restarts loading there: a rewind, a restored checkpoint, a new epoch), {@link #stop} when
 * the batches' recipe changes (a new epoch's orders), {@link #stop} at the end. At most one loader thread runs at a
 * time, so a source is never read by two threads at once.
 */
final class Prefetcher {
    /** Loads served batch {@code k} of the current recipe. */
    interface Loader {
        Object load(int batch) throws Exception;
    }

    /** A loaded batch (or its failure) of one generation of loading. */
    private record Item(long generation, int batch, Object value, Exception failure) {
    }

    private final String name;
    private final ArrayBlockingQueue<Item> queue;
    private volatile long generation;
    private Thread thread;
    private int expected = -1;

    /**
     * @param depth batches loaded ahead, {@code >= 1}
     * @param name  thread name
     */
    Prefetcher(int depth, String name) {
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(depth);
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
        if (thread == null || expected != batch) {
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
        Thread t = new Thread(() -> {
            try {
                loadAhead(gen, from, end, loader);
            } finally {
                // Loads may read inside a workspace of this thread (data.LoadWorkspace): free it with the thread.
                Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
            }
        }, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void loadAhead(long gen, int from, int end, Loader loader) {
        for (int k = from; k < end && generation == gen; k++) {
            Item it;
            try {
                it = new Item(gen, k, loader.load(k), null);
            } catch (Exception e) {
                it = new Item(gen, k, null, e);
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
        Thread t = thread;
        thread = null;
        expected = -1;
        if (t == null) {
            return;
        }
        queue.clear();
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join(100);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            queue.clear();
        }
        queue.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
