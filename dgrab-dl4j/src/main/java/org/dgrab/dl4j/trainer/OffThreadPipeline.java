package org.dgrab.dl4j.trainer;

import org.dgrab.dl4j.internal.gradient.OrderingThread;

/**
 * An {@link OrderingPipeline} whose ordering work runs on its own {@link OrderingThread}: waiting, settling after
 * a failure and closing all go to that thread, after {@link #flush()} has handed it whatever the pipeline still
 * holds back.
 */
abstract class OffThreadPipeline implements OrderingPipeline {
    /** Runs the ordering's tasks in submission order. */
    final OrderingThread thread;

    /** @param inFlight tasks the pipeline may have submitted and not finished at a time */
    OffThreadPipeline(int inFlight) {
        this.thread = new OrderingThread("dgrab-ordering", inFlight);
    }

    /**
     * Submits the ordering work this pipeline has collected and not yet handed to the thread (none by default).
     * Called before every wait, so that waiting means "everything computed so far has been observed".
     */
    void flush() {
    }

    @Override
    public final void awaitAll() {
        flush();
        thread.awaitAll();
    }

    @Override
    public final void settle() {
        flush();
        thread.settle();
    }

    @Override
    public final void close() {
        flush();
        thread.close();
    }
}
