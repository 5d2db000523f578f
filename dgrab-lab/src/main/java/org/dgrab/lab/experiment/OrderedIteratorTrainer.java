package org.dgrab.lab.experiment;

import java.util.function.IntConsumer;
import java.util.function.LongFunction;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.Sharding;
import org.dgrab.dl4j.iterator.OrderedDataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Trains a run the way a DL4J user would with dgrab's drop-in iterator: {@code net.fit(ordered)} once per epoch, where
 * {@code ordered} is an {@link OrderedDataSetIterator} around a fresh source iterator of the run (for example a
 * DataVec {@code RecordReaderDataSetIterator} over image files, which the wrapper reads on demand every epoch, so a
 * record reader's random augmentation is drawn anew on every read). With {@code workers > 1} the wrapper shards the
 * examples over that many simulated workers and every served batch joins each worker's next {@code batch} examples:
 * one synchronous data-parallel step on the mean gradient of the joined batch, the same update as
 * {@link RunTrainer#dataParallel}'s step (which sums the workers' gradients and divides by all their examples).
 *
 * <p>Epoch times are the wall time of {@code net.fit} (the record reader's metadata pass happens before, when the
 * run opens); the ordering time is what the wrapper's gradient listener spent on the training thread
 * ({@link OrderedDataSetIterator#listenerSeconds()}).
 */
public final class OrderedIteratorTrainer implements RunTrainer.Factory {
    private final LongFunction<DataSetIterator> source;
    private final int workers;
    private final int batch;
    private final Granularity granularity;
    private final Sharding sharding;

    /**
     * @param source      a fresh source iterator for a run's seed (the seed drives its augmentation); the trainer
     *                    owns and closes it
     * @param workers     simulated data-parallel workers, {@code >= 1}
     * @param batch       examples per worker and step
     * @param granularity {@link Granularity#EXAMPLE_LAST_LAYER}, or {@link Granularity#BATCH} with one worker (the
     *                    source's batches of {@code batch} examples as units; the wrapper does not offer
     *                    {@code EXAMPLE_EXACT})
     * @param sharding    how examples are split over the workers
     * @throws IllegalArgumentException for {@code EXAMPLE_EXACT}, batch units with several workers, or a count below 1
     */
    public OrderedIteratorTrainer(LongFunction<DataSetIterator> source, int workers, int batch,
                                  Granularity granularity, Sharding sharding) {
        if (granularity == Granularity.EXAMPLE_EXACT) {
            throw new IllegalArgumentException("granularity example-exact needs DataParallelTrainer (one backward "
                    + "pass per example); the drop-in iterator offers batch and example-last-layer");
        }
        if (workers < 1 || batch < 1) {
            throw new IllegalArgumentException("workers and batch must be >= 1, got " + workers + " and " + batch);
        }
        if (granularity == Granularity.BATCH && workers != 1) {
            throw new IllegalArgumentException("granularity batch orders the source's own batches with one worker; "
                    + "use example-last-layer units for " + workers + " workers");
        }
        this.source = source;
        this.workers = workers;
        this.batch = batch;
        this.granularity = granularity;
        this.sharding = sharding;
    }

    @Override
    public RunTrainer open(MultiLayerNetwork net, OrderingConfig ordering, long seed) {
        StepCounter counter = new StepCounter();
        // Before the wrapper registers its own listener, so that setModel sees every listener the model will have.
        net.addListeners(counter);
        OrderedDataSetIterator.Builder b = OrderedDataSetIterator.builder().setSource(source.apply(seed))
                .setModel(net).optOrdering(ordering).optGranularity(granularity);
        if (granularity != Granularity.BATCH) {
            // Batch units are the source's batches as they are: the wrapper takes no workers, size or sharding then.
            b.optWorkers(workers).optBatchSize(batch).optSharding(sharding);
        }
        OrderedDataSetIterator it = b.build();
        // The wrapper builds its source on first use; for a record reader that is one pass over every file to record
        // its metadata. Done here, it does not count as training time of epoch 1.
        it.source();
        return new RunTrainer() {
            @Override
            public int stepsPerEpoch() {
                return it.batchesPerEpoch();
            }

            @Override
            public Epoch trainEpoch(IntConsumer afterStep) {
                double listener0 = it.listenerSeconds();
                counter.start(afterStep);
                long t0 = System.nanoTime();
                try {
                    net.fit(it);
                } finally {
                    counter.start(null);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                return new Epoch(seconds, it.listenerSeconds() - listener0);
            }

            @Override
            public void close() {
                it.close();
            }
        };
    }

    /** Reports every step of {@code net.fit} to the experiment's progress. */
    private static final class StepCounter extends BaseTrainingListener {
        private IntConsumer afterStep;
        private int steps;

        void start(IntConsumer afterStep) {
            this.afterStep = afterStep;
            this.steps = 0;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if (afterStep != null) {
                afterStep.accept(++steps);
            }
        }
    }
}
