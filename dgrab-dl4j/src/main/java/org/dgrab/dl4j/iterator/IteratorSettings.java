package org.dgrab.dl4j.iterator;

import java.util.Optional;

import org.deeplearning4j.nn.api.Model;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.Sharding;

/** The validated settings of a drop-in iterator, with the granularity already resolved. */
final class IteratorSettings {
    private final Model model;
    private final OrderingConfig ordering;
    private final Granularity granularity;
    private final WorkerMode workerMode;
    private final int batchSize;
    private final Sharding sharding;
    private final boolean observerThread;

    IteratorSettings(Model model, OrderingConfig ordering, Granularity granularity, WorkerMode workerMode,
                     int batchSize, Sharding sharding, boolean observerThread) {
        this.model = model;
        this.ordering = ordering;
        this.granularity = granularity;
        this.workerMode = workerMode;
        this.batchSize = batchSize;
        this.sharding = sharding;
        this.observerThread = observerThread;
    }

    /** @return the watched model, absent for orderings that ignore gradients and were given none */
    Optional<Model> model() {
        return Optional.ofNullable(model);
    }

    OrderingConfig ordering() {
        return ordering;
    }

    Granularity granularity() {
        return granularity;
    }

    int workers() {
        return workerMode.workers();
    }

    /** @return true if batches are dealt to ParallelWrapper's workers in turn, false if every batch joins all workers */
    boolean parallelWrapper() {
        return workerMode instanceof WorkerMode.ParallelWrapper;
    }

    /** @return examples per worker and batch, 0 for the default */
    int batchSize() {
        return batchSize;
    }

    Sharding sharding() {
        return sharding;
    }

    /** @return true if gradients are observed on the iterator's own thread, false if on the training threads */
    boolean observerThread() {
        return observerThread;
    }

    @Override
    public String toString() {
        return ordering + ", " + granularity.id() + ", " + workers() + " worker(s)"
                + (parallelWrapper() ? " of ParallelWrapper" : "") + (observerThread ? ", observer thread" : "");
    }
}
