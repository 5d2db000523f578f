package org.dgrab.dl4j.iterator;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.internal.model.ThreadAdvice;
import org.dgrab.dl4j.Sharding;
import org.dgrab.dl4j.internal.gradient.OutputLayerCapture;
import org.dgrab.dl4j.internal.gradient.UnitDimension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both drop-in iterators are built from: the model that will be trained, the ordering, what a unit is, and
 * how the units are dealt to workers. {@link OrderedDataSetIterator#builder()} and
 * {@link OrderedMultiDataSetIterator#builder()} add the wrapped iterator ({@code setSource}).
 *
 * <p>Defaults: CD-GraB with seed 0; units are single examples (so examples move between mini-batches, as with
 * shuffling) whenever the model's output layer has per-example gradients in dgrab (a dense {@code OutputLayer}, any
 * activation and loss), otherwise the wrapped iterator's mini-batches; one worker; mini-batches of the wrapped
 * iterator's size.
 *
 * @param <B> the concrete builder
 */
public abstract class OrderedIteratorBuilder<B extends OrderedIteratorBuilder<B>> {
    private static final Logger log = LoggerFactory.getLogger(OrderedIteratorBuilder.class);

    private Model model;
    private OrderingConfig ordering = OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).build();
    private Granularity granularity;
    private WorkerMode workerMode = WorkerMode.ONE;
    private int batchSize;
    private Sharding sharding = Sharding.CONTIGUOUS;
    private boolean observerThread;

    OrderedIteratorBuilder() {
    }

    /** @return this builder, typed */
    abstract B self();

    /**
     * The model that will be trained on the iterator (required for orderings that use gradients, which are
     * captured by a listener added to it; optional for D-RR, shuffle-once and fixed orders).
     *
     * @param model an initialised MultiLayerNetwork or ComputationGraph
     * @return this
     */
    public B setModel(Model model) {
        if (!(model instanceof MultiLayerNetwork) && !(model instanceof ComputationGraph)) {
            throw new IllegalArgumentException("the model must be a MultiLayerNetwork or ComputationGraph, got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        this.model = model;
        return self();
    }

    /**
     * The ordering. Default CD-GraB with seed 0 (with one worker, PairBalance).
     *
     * @param ordering configuration
     * @return this
     */
    public B optOrdering(OrderingConfig ordering) {
        if (ordering == null) {
            throw new IllegalArgumentException("ordering is null");
        }
        this.ordering = ordering;
        return self();
    }

    /**
     * What a unit is: {@link Granularity#EXAMPLE_LAST_LAYER} (single examples, balanced by their exact output-layer
     * gradients) or {@link Granularity#BATCH} (the wrapped iterator's mini-batches, permuted as wholes). Default:
     * examples where the model supports them, else batches; the choice is logged at INFO.
     *
     * @param g granularity
     * @return this
     */
    public B optGranularity(Granularity g) {
        if (g == null) {
            throw new IllegalArgumentException("granularity is null");
        }
        if (g == Granularity.EXAMPLE_EXACT) {
            throw new IllegalArgumentException("example-exact needs extra backward passes per example; use "
                    + "DataParallelTrainer for it (the iterators support batch and example-last-layer)");
        }
        this.granularity = g;
        return self();
    }

    /**
     * Simulated synchronous data-parallel workers inside one model: each served batch joins every worker's next
     * examples (what an all-reduce step computes). Example units only. Default 1.
     *
     * @param n {@code >= 1}
     * @return this
     */
    public B optWorkers(int n) {
        this.workerMode = new WorkerMode.Simulated(n);
        return self();
    }

    /**
     * Serves ParallelWrapper's {@code n} workers as the ordering's {@code n} workers: batch {@code j} is worker
     * {@code j mod n}'s next batch, as ParallelWrapper deals batches round robin, and each worker's batches come
     * from its own shard. Build this iterator before the ParallelWrapper (its builder moves the model's listeners,
     * dgrab's included, to every worker), with {@code ParallelWrapper.Builder.workers(n)}.
     *
     * @param n ParallelWrapper's number of workers, {@code >= 1}
     * @return this
     */
    public B optParallelWrapper(int n) {
        this.workerMode = new WorkerMode.ParallelWrapper(n);
        return self();
    }

    /**
     * Examples per worker and batch (example units only). Default: the wrapped iterator's first batch size, divided
     * by the number of workers with {@link #optWorkers}.
     *
     * @param b {@code >= 1}
     * @return this
     */
    public B optBatchSize(int b) {
        if (b < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + b);
        }
        this.batchSize = b;
        return self();
    }

    /**
     * How examples (or, with ParallelWrapper and batch units, mini-batches) are split over workers. Default
     * {@link Sharding#CONTIGUOUS}.
     *
     * @param s sharding
     * @return this
     */
    public B optSharding(Sharding s) {
        if (s == null) {
            throw new IllegalArgumentException("sharding is null");
        }
        this.sharding = s;
        return self();
    }

    /**
     * Whether gradients are observed on a thread of the iterator's own instead of the training threads. The
     * training thread then only copies the gradient (batch units) or the batch's output-layer rows (example units)
     * and goes on; the balancing arithmetic runs beside training. Orders and training are the same either way
     * (test); what changes is who waits. Worth it where training threads wait for each other (ParallelWrapper
     * averages after every step, so ordering work on one worker delays all) and a core is free while they wait; on
     * one core, or for tiny gradients, the copy can cost more than it saves. A failure while observing (e.g. a
     * non-finite gradient under {@code NonFinitePolicy.FAIL}) is thrown by the next call into the iterator or the
     * next gradient, not by the step that produced it. Default off: on the 2-core machine where it was measured,
     * busy with other work, ParallelWrapper with averaging every step was not faster with it (docs/benchmarks.md,
     * ParallelWrapper), as the thread then competes with the workers for the cores.
     *
     * @param on true for the iterator's own thread
     * @return this
     */
    public B optObserverThread(boolean on) {
        this.observerThread = on;
        return self();
    }

    /**
     * @param wholeBatchesOnly true if the wrapped iterator can only be served in whole mini-batches (files)
     * @return the validated settings, with the default granularity resolved
     */
    IteratorSettings settings(boolean wholeBatchesOnly) {
        if (wholeBatchesOnly && granularity != null && granularity != Granularity.BATCH) {
            throw new IllegalArgumentException("mini-batch files are ordered as whole files: use optGranularity("
                    + "Granularity.BATCH) (single examples would read a whole file each)");
        }
        if (wholeBatchesOnly && granularity == null) {
            log.info("dgrab: {} orders the mini-batch files as wholes (one file is one unit)", ordering.kind().id());
            granularity = Granularity.BATCH;
        }
        if (ordering.kind().needsGradients() && model == null) {
            throw new IllegalArgumentException(ordering.kind().id() + " orders by gradients: pass the model that will "
                    + "be trained with setModel");
        }
        Granularity g = granularity != null ? granularity : defaultGranularity();
        if (g == Granularity.BATCH && workerMode instanceof WorkerMode.Simulated
                && (workerMode.workers() != 1 || batchSize != 0 || sharding != Sharding.CONTIGUOUS)) {
            throw new IllegalArgumentException("workers, batch size and sharding apply to example-last-layer units; with batch units "
                    + "the wrapped iterator's batches are ordered by one worker (or dealt to ParallelWrapper's workers "
                    + "with optParallelWrapper; use DataParallelTrainer for n synchronous workers)");
        }
        if (g == Granularity.BATCH && batchSize != 0) {
            throw new IllegalArgumentException("a batch size applies to example-last-layer units; with batch units the wrapped "
                    + "iterator's batches are served as they are");
        }
        if (g == Granularity.EXAMPLE_LAST_LAYER && ordering.kind().needsGradients()) {
            OutputLayerCapture.of(model);
        }
        if (model != null) {
            UnitDimension.checkSketch(ordering, g, model);
            ThreadAdvice.warnOnceIfSlow(model);
        }
        if (observerThread && !ordering.kind().needsGradients()) {
            throw new IllegalArgumentException("an observer thread observes gradients, and " + ordering.kind().id()
                    + " uses none; remove optObserverThread(true)");
        }
        return new IteratorSettings(model, ordering, g, workerMode, batchSize, sharding, observerThread);
    }

    private Granularity defaultGranularity() {
        if (!ordering.kind().needsGradients()) {
            log.info("dgrab: {} orders single examples, so examples move between mini-batches (set "
                    + "optGranularity(Granularity.BATCH) to permute the source's mini-batches as wholes)", ordering.kind().id());
            return Granularity.EXAMPLE_LAST_LAYER;
        }
        if (OutputLayerCapture.supports(model)) {
            log.info("dgrab: {} orders single examples by their output-layer gradients, so examples move between "
                    + "mini-batches (set optGranularity(Granularity.BATCH) to order the source's mini-batches as wholes)",
                    ordering.kind().id());
            return Granularity.EXAMPLE_LAST_LAYER;
        }
        log.info("dgrab: {} orders the source's mini-batches as wholes: the model's output layer has no per-example "
                + "gradients in dgrab (a dense OutputLayer has), so examples stay in their mini-batches", ordering.kind().id());
        return Granularity.BATCH;
    }
}
