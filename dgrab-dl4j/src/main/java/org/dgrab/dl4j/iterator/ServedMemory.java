package org.dgrab.dl4j.iterator;

import java.util.ArrayDeque;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Frees the off-heap memory of served batches as soon as DL4J's own training loop is done with them, instead of at
 * the next Java garbage collection. Every served batch is a fresh off-heap array (a gather from memory, a file, a
 * record reader's decode), and ND4J frees such an array only when its Java object is collected: with a large heap
 * that happens rarely, so the garbage of thousands of batches piles up to the process's limit (JavaCPP then forces a
 * collection). DL4J's {@code AsyncDataSetIterator} avoids the pile-up with a cyclic workspace; the drop-in iterators
 * cannot hand out workspace memory, because a user's own loop may keep what {@code next()} returned.
 *
 * <p>So a batch is freed only when all of this holds: it was served to one of DL4J's training loops
 * ({@code fit(iterator)}, ParallelWrapper, early stopping: they keep no batch after training it), its gradient has
 * been observed (the model and dgrab's observer are done with its labels and features), and {@code lag} more batches
 * have been served since (so the model's input field, and ParallelWrapper's replicas, have moved on to later
 * batches). Only arrays the source created for this batch, still held by the batch after the pre-processor ran, are
 * freed; views and workspace arrays are left to ND4J. Batches served to a user's own loop ({@code next()} outside
 * {@code fit}) are never freed here.
 *
 * <p>Call order, under the session's lock: {@link #served()} after each served batch, {@link #retire} when a batch's
 * gradient has been observed.
 */
final class ServedMemory {
    /** A batch done with, waiting for {@code lag} more batches to be served. */
    private record Retired(long servedBefore, INDArray[] arrays) {
    }

    private final int lag;
    private final ArrayDeque<Retired> retired = new ArrayDeque<>();
    private long served;
    private Thread consumer;
    private int consumerEpoch = -1;
    private boolean toTrainingLoop;

    /**
     * @param lag batches served after a batch's gradient before its memory is freed, {@code >= 1}
     */
    ServedMemory(int lag) {
        if (lag < 1) {
            throw new IllegalArgumentException("lag must be >= 1, got " + lag);
        }
        this.lag = lag;
    }

    /**
     * The lag for a model trained by one thread (2: the model keeps the last batch as its input) or by ParallelWrapper
     * (replicas keep theirs until their next round).
     *
     * @param workers ParallelWrapper's workers, or 1
     * @return batches to serve after a gradient before freeing its batch
     */
    static int lagFor(int workers) {
        return workers <= 1 ? 2 : 2 * workers + 2;
    }

    /**
     * Which of a served batch's arrays this class may free: those the source loaded for it and the served batch
     * still holds (a pre-processor may have replaced some with arrays of its own).
     *
     * @param loaded the arrays of the batch as the source loaded it
     * @param served the arrays of the batch as served
     * @return the arrays to free once the batch is done with
     */
    static INDArray[] owned(INDArray[] loaded, INDArray[] served) {
        INDArray[] out = new INDArray[loaded.length];
        int n = 0;
        for (INDArray a : loaded) {
            if (a == null || a.isView() || a.isAttached()) {
                continue;
            }
            for (INDArray b : served) {
                if (a == b) {
                    out[n++] = a;
                    break;
                }
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * Whether batches served now go to one of DL4J's training loops. Walking the stack costs microseconds, so it is
     * done once per epoch and consumer thread: a loop takes an epoch's batches from one thread.
     *
     * @param epoch the epoch being served
     * @return true if the batch about to be served may be freed once done with
     */
    boolean servingToTrainingLoop(int epoch) {
        Thread t = Thread.currentThread();
        if (t != consumer || epoch != consumerEpoch) {
            consumer = t;
            consumerEpoch = epoch;
            toTrainingLoop = TrainingCaller.current().isPresent();
        }
        return toTrainingLoop;
    }

    /** Counts a served batch and frees what is due. */
    void served() {
        served++;
        releaseDue();
    }

    /**
     * @param arrays a batch's arrays (from {@link #owned}) whose gradient has been observed
     */
    void retire(INDArray[] arrays) {
        if (arrays != null && arrays.length > 0) {
            retired.add(new Retired(served, arrays));
            releaseDue();
        }
    }

    /** @return batches waiting to be freed */
    int waiting() {
        return retired.size();
    }

    private void releaseDue() {
        while (!retired.isEmpty() && served - retired.peek().servedBefore() >= lag) {
            for (INDArray a : retired.poll().arrays()) {
                if (a.closeable()) {
                    a.close();
                }
            }
        }
    }
}
