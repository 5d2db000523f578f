package org.dgrab.dl4j.iterator;

import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.data.ExampleStore;
import org.dgrab.dl4j.data.Sharding;
import org.dgrab.dl4j.data.UnitLayout;
import org.dgrab.dl4j.gradient.LastLayerGradientSource;
import org.dgrab.dl4j.model.ModelAdapter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drop-in {@link DataSetIterator} that serves the examples of any wrapped iterator in the order an
 * {@link OrderingStrategy} chooses, and swaps to the next order on {@link #reset()}. Typical use stays
 * {@code net.fit(ordered, epochs)}: the builder registers a {@link org.deeplearning4j.optimize.api.TrainingListener}
 * on the model that hands each unit's gradient to the strategy after the backward pass, before the updater.
 *
 * <p>The wrapped iterator is read once, on first use, into an {@link ExampleStore} (memory: all features and
 * labels, see there); its {@link DataSetPreProcessor} has already been applied by then, and a pre-processor set on
 * this iterator is applied to every served batch. Units:
 * <ul>
 *   <li>{@link Granularity#BATCH}: the wrapped iterator's own mini-batches, permuted as wholes (one worker);</li>
 *   <li>{@link Granularity#EXAMPLE_LAST_LAYER}: single examples, optionally sharded over {@code n} simulated
 *   workers; each served batch joins every worker's next examples (a synchronous data-parallel step whose
 *   gradient is the all-reduce average), and per-example output-layer gradients feed the ordering.</li>
 * </ul>
 * {@link Granularity#EXAMPLE_EXACT} needs extra backward passes and is offered by
 * {@link org.dgrab.dl4j.trainer.DataParallelTrainer}.
 *
 * <p>A pass without training (e.g. {@code net.evaluate(ordered)}) leaves the ordering alone; a reset in the middle
 * of a trained epoch is an error, since the ordering needs every gradient of the epoch. Without a model (possible
 * for orderings that ignore gradients, such as D-RR) trained and untrained passes cannot be told apart, and every
 * complete pass followed by {@link #reset()} counts as an epoch. Not thread-safe;
 * {@link #asyncSupported()} is false so that batches are built on the training thread, in order.
 */
public final class OrderedDataSetIterator implements DataSetIterator {
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(OrderedDataSetIterator.class);

    private final transient DataSetIterator source;
    private final transient Model model;
    private final transient OrderingConfig config;
    private final Granularity granularity;
    private final int workers;
    private final int requestedBatch;
    private final Sharding sharding;
    private int perWorkerBatch;
    private int sourceBatch;

    private transient ExampleStore store;
    private transient UnitLayout layout;
    private transient OrderingStrategy strategy;
    private transient LastLayerGradientSource lastLayer;
    private transient int[][] orders;
    private transient EpochTracker tracker;
    private transient int[][] servedPositions;
    private transient DataSet served;
    private transient DataSetPreProcessor preProcessor;

    private OrderedDataSetIterator(Builder b) {
        this.source = b.source;
        this.model = b.model;
        this.config = b.ordering;
        this.granularity = b.granularity;
        this.workers = b.workers;
        this.sharding = b.sharding;
        this.requestedBatch = b.batchSize;
        if (model != null) {
            ModelAdapter adapter = ModelAdapter.of(model);
            if (granularity == Granularity.EXAMPLE_LAST_LAYER && config.kind().needsGradients()) {
                lastLayer = new LastLayerGradientSource(adapter);
                lastLayer.setCapturing(true);
            }
            Listener l = new Listener();
            if (model instanceof MultiLayerNetwork) {
                ((MultiLayerNetwork) model).addListeners(l);
            } else {
                ((ComputationGraph) model).addListeners(l);
            }
        }
    }

    /**
     * Starts a builder.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private void ensureMaterialised() {
        if (store != null) {
            return;
        }
        store = ExampleStore.materialise(source);
        // The size of the batches the source really produced (many iterators report 0 or nothing useful).
        sourceBatch = store.sourceBatch(0).length;
        perWorkerBatch = requestedBatch > 0 ? requestedBatch : Math.max(1, sourceBatch / workers);
        if (granularity == Granularity.BATCH) {
            int[][] units = new int[store.sourceBatches()][];
            for (int b = 0; b < units.length; b++) {
                units[b] = store.sourceBatch(b);
            }
            layout = UnitLayout.single(units);
        } else {
            if (store.size() < workers) {
                throw new IllegalArgumentException("cannot shard " + store.size() + " examples over " + workers
                        + " workers: every worker needs at least one");
            }
            layout = UnitLayout.of(sharding.split(store.size(), workers, config.seed()), 1);
        }
        strategy = config.create(layout.unitsPerWorker());
        tracker = new EpochTracker(strategy, model != null);
        startEpoch();
    }

    private void startEpoch() {
        orders = new int[workers][];
        int max = 0;
        for (int w = 0; w < workers; w++) {
            orders[w] = strategy.order(w);
            int per = granularity == Granularity.BATCH ? 1 : perWorkerBatch;
            max = Math.max(max, (orders[w].length + per - 1) / per);
        }
        tracker.startEpoch(max);
    }

    /** @return the ordering strategy (materialises the data on first call) */
    public OrderingStrategy ordering() {
        ensureMaterialised();
        return strategy;
    }

    /** @return the materialised examples */
    public ExampleStore store() {
        ensureMaterialised();
        return store;
    }

    /** @return mini-batches per epoch */
    public int batchesPerEpoch() {
        ensureMaterialised();
        return tracker.batches();
    }

    @Override
    public boolean hasNext() {
        ensureMaterialised();
        return tracker.hasNext();
    }

    @Override
    public DataSet next() {
        ensureMaterialised();
        int cursor = tracker.nextIndex();
        int[] idx;
        if (granularity == Granularity.BATCH) {
            idx = layout.examples(0, orders[0][cursor]);
            servedPositions = new int[][] {{cursor}};
        } else {
            servedPositions = new int[workers][];
            int n = 0;
            for (int w = 0; w < workers; w++) {
                int from = Math.min(cursor * perWorkerBatch, orders[w].length);
                int to = Math.min(from + perWorkerBatch, orders[w].length);
                servedPositions[w] = new int[] {from, to};
                n += to - from;
            }
            idx = new int[n];
            int k = 0;
            for (int w = 0; w < workers; w++) {
                for (int p = servedPositions[w][0]; p < servedPositions[w][1]; p++) {
                    idx[k++] = layout.examples(w, orders[w][p])[0];
                }
            }
        }
        DataSet d = store.batch(idx);
        if (preProcessor != null) {
            preProcessor.preProcess(d);
        }
        served = d;
        tracker.served(d.getFeatures());
        return d;
    }

    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException("OrderedDataSetIterator serves the batches its ordering defines; "
                + "next(int) with a custom size is not supported");
    }

    @Override
    public void reset() {
        ensureMaterialised();
        if (tracker.reset()) {
            log.debug("epoch {} ordered by {}", strategy.epoch(), config);
            startEpoch();
        }
    }

    /** Called by the listener after the backward pass of a batch this iterator served. */
    private void onGradient(Model m) {
        if (tracker == null || tracker.gradientFor(modelInput(m)) < 0) {
            return;
        }
        if (strategy.needsGradients()) {
            if (granularity == Granularity.BATCH) {
                strategy.observe(0, servedPositions[0][0], m.gradient().gradient());
            } else {
                double[] per = lastLayer.capturedPerExample(served.getLabels(),
                        served.getLabelsMaskArray());
                int dim = (int) lastLayer.dimension();
                int row = 0;
                for (int w = 0; w < workers; w++) {
                    for (int p = servedPositions[w][0]; p < servedPositions[w][1]; p++) {
                        strategy.observe(w, p, per, dim * row++, dim);
                    }
                }
            }
        }
        tracker.trainedOne();
        served = null;
    }

    private static INDArray modelInput(Model m) {
        if (m instanceof MultiLayerNetwork) {
            return ((MultiLayerNetwork) m).getInput();
        }
        INDArray[] in = ((ComputationGraph) m).getInputs();
        return in == null || in.length == 0 ? null : in[0];
    }

    private final class Listener extends BaseTrainingListener {
        @Override
        public void onGradientCalculation(Model m) {
            onGradient(m);
        }
    }

    /**
     * Size of dimension 1 of the features, as {@code DataSet.numInputs()}: the number of features for flat data,
     * features per time step for sequences {@code [B, F, T]}.
     */
    @Override
    public int inputColumns() {
        ensureMaterialised();
        long[] shape = store.featureShape();
        return (int) (shape.length == 0 ? 1 : shape[0]);
    }

    /**
     * Size of dimension 1 of the labels, as {@code DataSet.numOutcomes()}: the number of classes (or outputs),
     * also for sequence labels {@code [B, C, T]}.
     */
    @Override
    public int totalOutcomes() {
        ensureMaterialised();
        long[] shape = store.labelShape();
        return (int) (shape.length == 0 ? 1 : shape[0]);
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    /**
     * Examples per served batch: the size of the wrapped iterator's (first) batch for batch units, or workers
     * times examples per worker for example units (the last batches of an epoch may be smaller). Reads the data
     * on first call.
     */
    @Override
    public int batch() {
        ensureMaterialised();
        return granularity == Granularity.BATCH ? sourceBatch : perWorkerBatch * workers;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return source.getLabels();
    }

    @Override
    public String toString() {
        return "OrderedDataSetIterator(" + config + ", " + granularity.id() + ", " + workers + " worker(s))";
    }

    /** Builder of {@link OrderedDataSetIterator}. */
    public static final class Builder {
        private DataSetIterator source;
        private Model model;
        private OrderingConfig ordering = OrderingConfig.builder(OrderingConfig.Kind.CD_GRAB).build();
        private Granularity granularity = Granularity.BATCH;
        private int workers = 1;
        private int batchSize;
        private Sharding sharding = Sharding.CONTIGUOUS;

        private Builder() {
        }

        /**
         * The iterator to wrap (required); read once on first use.
         *
         * @param source iterator with features and labels
         * @return this
         */
        public Builder setSource(DataSetIterator source) {
            this.source = source;
            return this;
        }

        /**
         * The model that will be trained on this iterator; required for orderings that use gradients, which are
         * captured by a listener added to it.
         *
         * @param model an initialised MultiLayerNetwork or ComputationGraph
         * @return this
         */
        public Builder optModel(Model model) {
            this.model = model;
            return this;
        }

        /**
         * The ordering. Default CD-GraB with seed 0 (with one worker, PairBalance).
         *
         * @param ordering configuration
         * @return this
         */
        public Builder optOrdering(OrderingConfig ordering) {
            if (ordering == null) {
                throw new IllegalArgumentException("ordering is null");
            }
            this.ordering = ordering;
            return this;
        }

        /**
         * What a unit is: {@link Granularity#BATCH} (default) or {@link Granularity#EXAMPLE_LAST_LAYER}.
         *
         * @param g granularity
         * @return this
         */
        public Builder optGranularity(Granularity g) {
            if (g == Granularity.EXAMPLE_EXACT) {
                throw new IllegalArgumentException("example-exact needs extra backward passes per example; use "
                        + "DataParallelTrainer for it (the iterator supports batch and example-last-layer)");
            }
            if (g == null) {
                throw new IllegalArgumentException("granularity is null");
            }
            this.granularity = g;
            return this;
        }

        /**
         * Number of simulated workers (example granularity only). Default 1.
         *
         * @param n {@code >= 1}
         * @return this
         */
        public Builder optWorkers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("number of workers must be >= 1, got " + n);
            }
            this.workers = n;
            return this;
        }

        /**
         * Examples per worker per batch (example granularity only). Default: the size of the wrapped iterator's
         * first batch divided by the number of workers.
         *
         * @param b {@code >= 1}
         * @return this
         */
        public Builder optBatchSize(int b) {
            if (b < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + b);
            }
            this.batchSize = b;
            return this;
        }

        /**
         * How examples are split over workers (example granularity only). Default {@link Sharding#CONTIGUOUS}.
         *
         * @param s sharding
         * @return this
         */
        public Builder optSharding(Sharding s) {
            if (s == null) {
                throw new IllegalArgumentException("sharding is null");
            }
            this.sharding = s;
            return this;
        }

        /** @return the iterator */
        public OrderedDataSetIterator build() {
            if (source == null) {
                throw new IllegalArgumentException("a source iterator is required (setSource)");
            }
            if (ordering.kind().needsGradients() && model == null) {
                throw new IllegalArgumentException(ordering.kind().id() + " orders by gradients: pass the model with optModel");
            }
            if (granularity == Granularity.BATCH && (workers != 1 || batchSize != 0 || sharding != Sharding.CONTIGUOUS)) {
                throw new IllegalArgumentException("workers, batch size and sharding apply to example-last-layer; with batch "
                        + "units the wrapped iterator's batches are ordered by one worker (use DataParallelTrainer for n workers)");
            }
            return new OrderedDataSetIterator(this);
        }
    }
}
