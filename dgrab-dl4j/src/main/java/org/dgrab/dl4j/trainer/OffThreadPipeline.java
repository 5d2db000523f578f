package org.dgrab.dl4j.trainer;

import org.dgrab.dl4j.internal.gradient.OrderingThread;

/**
 * An {@link OrderingPipeline} whose ordering work runs on its own {@link OrderingThread}: waiting, settling after
 * a failure and closing all go to that thread.
 */
abstract class OffThreadPipeline implements OrderingPipeline {
    /** Runs the ordering's tasks in submission order. */
    final OrderingThread thread;

    /** @param inFlight tasks the pipeline may have submitted and not finished at a time */
    OffThreadPipeline(int inFlight) {
        this.thread = new OrderingThread("dgrab-ordering", inFlight);
    }

    @Override
    public final void awaitAll() {
        thread.awaitAll();
    }

    @Override
    public final void settle() {
        thread.settle();
    }

    @Override
    public final void close() {
        thread.close();
    }
}
