package org.dgrab.lab.experiment;

import java.util.function.IntConsumer;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.diagnostics.HerdingMonitor;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.trainer.DataParallelTrainer;
import org.dgrab.dl4j.trainer.EpochStats;
import org.nd4j.linalg.dataset.DataSet;

/**
 * How {@link TrainingExperiment} trains one (ordering, seed) run, an epoch at a time. The experiment owns the loop
 * over seeds and orderings, the shared initial weights and the evaluation after every epoch; a {@link Factory}
 * decides where the examples come from and what takes the steps: {@link #dataParallel} (the in-memory
 * {@link DataParallelTrainer}, the default of the training commands) or {@link OrderedIteratorTrainer} ({@code net.fit}
 * on dgrab's drop-in iterator, for data read on demand).
 *
 * <p>Call order: {@link #stepsPerEpoch()} any time, {@link #trainEpoch} once per epoch, then {@link #close()}.
 */
public interface RunTrainer extends AutoCloseable {

    /**
     * What one trained epoch took.
     *
     * @param seconds         wall time of the epoch's training (no evaluation)
     * @param orderingSeconds the part of it spent in the ordering, as the trainer measures it
     * @param herdingBound    the epoch's parallel herding bound on its unit gradients, NaN where not measured
     */
    record Epoch(double seconds, double orderingSeconds, double herdingBound) {
        /**
         * An epoch without a herding bound.
         *
         * @param seconds         wall time of the epoch's training
         * @param orderingSeconds the part of it spent in the ordering
         */
        public Epoch(double seconds, double orderingSeconds) {
            this(seconds, orderingSeconds, Double.NaN);
        }
    }

    /** Opens the training of one run. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param net      the run's network (a copy of the seed's initial network); trained in place
         * @param ordering the run's ordering, seeded with the run's seed
         * @param seed     the run's seed (for data randomness such as augmentation)
         * @return the run's trainer; the caller closes it
         */
        RunTrainer open(MultiLayerNetwork net, OrderingConfig ordering, long seed);
    }

    /** @return synchronous steps per epoch */
    int stepsPerEpoch();

    /**
     * Trains one epoch.
     *
     * @param afterStep called after every step with the number of steps done in this epoch
     * @return the epoch's times
     */
    Epoch trainEpoch(IntConsumer afterStep);

    /** Releases the run's threads and data; no exception. */
    @Override
    void close();

    /**
     * The in-memory trainer: {@link DataParallelTrainer} over a copy of {@code train}, made once for all runs.
     *
     * @param train       training examples
     * @param workers     workers
     * @param batch       examples per worker and step
     * @param granularity unit granularity
     * @param microbatch  micro-batch of {@link Granularity#EXAMPLE_EXACT} (ignored otherwise)
     * @return the factory
     */
    static Factory dataParallel(DataSet train, int workers, int batch, Granularity granularity, int microbatch) {
        return dataParallel(train, workers, batch, granularity, microbatch, false);
    }

    /**
     * The in-memory trainer, optionally measuring every epoch's herding bound on the real unit gradients
     * ({@link HerdingMonitor} around each run's ordering). Measuring makes gradient-free orderings such as
     * {@code d-rr} compute and hand over their gradients too, which their epoch times then include.
     *
     * @param train        training examples
     * @param workers      workers
     * @param batch        examples per worker and step
     * @param granularity  unit granularity
     * @param microbatch   micro-batch of {@link Granularity#EXAMPLE_EXACT} (ignored otherwise)
     * @param herdingBound whether to measure the herding bound of every epoch
     * @return the factory
     */
    static Factory dataParallel(DataSet train, int workers, int batch, Granularity granularity, int microbatch,
                                boolean herdingBound) {
        return (net, ordering, seed) -> {
            DataParallelTrainer.Builder b = DataParallelTrainer.builder().setModel(net).setData(train)
                    .setOrdering(ordering).optWorkers(workers).optBatchSize(batch).optGranularity(granularity);
            if (granularity == Granularity.EXAMPLE_EXACT) {
                b.optMicrobatch(microbatch);
            }
            HerdingMonitor[] monitor = new HerdingMonitor[1];
            if (herdingBound) {
                b.optDecorator(s -> monitor[0] = new HerdingMonitor(s));
            }
            DataParallelTrainer t = b.build();
            return new RunTrainer() {
                @Override
                public int stepsPerEpoch() {
                    return t.stepsPerEpoch();
                }

                @Override
                public Epoch trainEpoch(IntConsumer afterStep) {
                    EpochStats s = null;
                    for (int step = 1; s == null; step++) {
                        s = t.step();
                        afterStep.accept(step);
                    }
                    return new Epoch(s.seconds(), s.orderingSeconds(),
                            monitor[0] == null ? Double.NaN : monitor[0].lastBound());
                }

                @Override
                public void close() {
                    t.close();
                }
            };
        };
    }
}
