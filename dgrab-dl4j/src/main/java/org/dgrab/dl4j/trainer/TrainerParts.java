package org.dgrab.dl4j.trainer;

import java.util.function.UnaryOperator;

import org.dgrab.core.OrderingStrategy;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.internal.gradient.GradientSource;
import org.dgrab.dl4j.internal.model.ModelAdapter;

/**
 * Parts of a {@link DataParallelTrainer} chosen once, when it is built: the strategy as the builder's decorator
 * wraps it (checked to keep the workers, units and epoch), and the {@link OrderingPipeline} for the execution mode and
 * granularity. Stateless.
 */
final class TrainerParts {
    private TrainerParts() {
    }

    /**
     * @param decorator the builder's decorator, or null
     * @param created   the strategy the ordering created
     * @return the decorated strategy, or {@code created} without a decorator
     * @throws IllegalArgumentException if the decorator returned null or a strategy of other workers, units or epoch
     *                                  (both strategies are closed then)
     */
    static OrderingStrategy decorate(UnaryOperator<OrderingStrategy> decorator, OrderingStrategy created) {
        if (decorator == null) {
            return created;
        }
        OrderingStrategy d = decorator.apply(created);
        if (d == null) {
            created.close();
            throw new IllegalArgumentException("the ordering decorator returned null instead of a strategy");
        }
        boolean same = d.workers() == created.workers();
        for (int w = 0; same && w < d.workers(); w++) {
            same = d.units(w) == created.units(w);
        }
        if (!same || d.epoch() != created.epoch()) {
            d.close();
            created.close();
            throw new IllegalArgumentException("the ordering decorator must keep the workers, units per worker and epoch "
                    + "of the strategy it wraps; it returned " + d.workers() + " worker(s) at epoch " + d.epoch()
                    + " for " + created.workers() + " at epoch " + created.epoch());
        }
        return d;
    }

    /**
     * Chooses the pipeline. Asynchronous ordering applies to sequential training with an ordering that uses
     * gradients: with batch units and n > 1 workers the gradient is the model's whole gradient array, which the next
     * backward pass would overwrite, so replicas lend theirs; with last-layer units the rows are formed from heap
     * copies. Example-exact units stay inline (their cost is the extra backward passes, not the ordering).
     *
     * @param b        the builder
     * @param threaded whether each worker has a thread (and a replica) of its own
     * @param master   the trained model
     * @param strategy the (decorated) strategy
     * @return the pipeline
     */
    static OrderingPipeline pipeline(TrainerBuilder<?> b, boolean threaded, ModelAdapter master,
                                     OrderingStrategy strategy) {
        int workers = b.workers;
        boolean async = b.asyncOrdering && !threaded && strategy.needsGradients();
        if (async && b.granularity == Granularity.BATCH && workers > 1) {
            return new LentReplicaPipeline(master, GradientSource.of(b.granularity, master), workers);
        }
        if (async && b.granularity == Granularity.EXAMPLE_LAST_LAYER) {
            return new DeferredRowsPipeline(master, GradientSource.of(b.granularity, master));
        }
        ModelAdapter[] models = new ModelAdapter[workers];
        GradientSource[] sources = new GradientSource[workers];
        for (int w = 0; w < workers; w++) {
            models[w] = threaded ? master.replica() : master;
            sources[w] = threaded || w == 0 ? GradientSource.of(b.granularity, models[w]) : sources[0];
        }
        return new InlinePipeline(master, models, sources);
    }
}
