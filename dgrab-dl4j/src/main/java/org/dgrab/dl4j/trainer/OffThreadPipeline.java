package org.dgrab.dl4j.trainer;

/**
 * An {@link OrderingPipeline} whose ordering work runs on its own {@link OrderingThread}: waiting, settling after
 * a failure and closing all go to that thread.
 */
abstract class OffThreadPipeline implements OrderingPipeline {
    /** Runs the ordering's tasks in submission order. */
    final OrderingThread thread = new OrderingThread();

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
