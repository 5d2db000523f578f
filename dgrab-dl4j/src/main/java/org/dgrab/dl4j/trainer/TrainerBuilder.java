package org.dgrab.dl4j.trainer;

import java.util.List;
import java.util.function.UnaryOperator;

import org.deeplearning4j.nn.api.Model;
import org.dgrab.core.OrderingConfig;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.strategy.ForwardingOrderingStrategy;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.internal.data.ExampleStore;
import org.dgrab.dl4j.Sharding;
import org.dgrab.dl4j.internal.gradient.UnitDimension;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * The settings of a {@link DataParallelTrainer}, shared by its {@link DataParallelTrainer.Builder} (typed on the
 * concrete builder so that chained calls keep its type, as DL4J's own layer builders do). Required:
 * {@link #setModel}, one of the {@code setData} methods, {@link #setOrdering}; the {@code opt} settings have
 * defaults. Call {@link #build()} last.
 *
 * @param <B> the concrete builder
 */
public abstract class TrainerBuilder<B extends TrainerBuilder<B>> {
    Model model;
    ExampleStore data;
    OrderingConfig ordering;
    int workers = 1;
    int batchSize = 32;
    Granularity granularity = Granularity.BATCH;
    int microbatch = 1;
    boolean microbatchSet;
    Sharding sharding = Sharding.CONTIGUOUS;
    ExecutionMode mode = ExecutionMode.SEQUENTIAL;
    UnaryOperator<OrderingStrategy> decorator;
    boolean asyncOrdering = true;

    TrainerBuilder() {
    }

    /** @return this builder as its concrete type */
    abstract B self();

    /**
     * Whether the ordering reads the gradients on a thread of its own while training goes on (default
     * {@code true}). It applies to {@link ExecutionMode#SEQUENTIAL} training with an ordering that uses
     * gradients. With {@link Granularity#EXAMPLE_LAST_LAYER} units (softmax with cross-entropy) the per-example
     * vectors are formed from the captured output-layer input and logits, and balanced, on the ordering thread.
     * With {@link Granularity#BATCH} units and n > 1 workers, where handing each model-sized gradient to the
     * ordering would otherwise cost the training thread several passes over it per step, worker 0 computes
     * on the trained model, workers 1..n-1 alternate between two replicas that share its parameter array, the
     * ordering thread reads each gradient while the next worker computes, and the gradients are summed in place
     * in the trained model's gradient array; nothing is copied for the ordering on the training thread. Orders,
     * parameters and checkpoints are identical either way (the ordering sees the same gradients in the same
     * order). Costs: with batch units two more gradient-sized arrays and the replicas' activations, and the
     * trained model's listeners see worker 0's forward and backward passes only (and every iteration and epoch,
     * as always); with last-layer units up to four batches' heap scratch. An ordering error (such as
     * {@code NonFiniteGradientException} under {@code FAIL}) is thrown a few worker steps later, after the
     * updates of those steps, and a checkpoint saved before it can then be restored. Set it to
     * {@code false} to have errors thrown before the update of their step, or on a single core.
     *
     * @param async whether to order asynchronously where it applies
     * @return this
     */
    public B optAsyncOrdering(boolean async) {
        this.asyncOrdering = async;
        return self();
    }

    /**
     * Wraps the strategy that the ordering configuration creates, typically in a
     * {@link ForwardingOrderingStrategy} that times or measures the ordering without changing it. Default: none.
     * The wrapper is what the trainer calls and checkpoints; it must keep the wrapped strategy's workers, units and
     * epoch, and its {@link OrderingStrategy#needsGradients()} decides whether gradients are captured at all.
     *
     * @param decorator called once, at {@link #build()}, with the created strategy
     * @return this
     */
    public B optDecorator(UnaryOperator<OrderingStrategy> decorator) {
        if (decorator == null) {
            throw new IllegalArgumentException("ordering decorator is null");
        }
        this.decorator = decorator;
        return self();
    }

    /**
     * The model to train (required), initialised; a {@code MultiLayerNetwork} or {@code ComputationGraph}.
     *
     * @param model model
     * @return this
     */
    public B setModel(Model model) {
        this.model = model;
        return self();
    }

    /**
     * Training data already in the trainer's form. Package-private: {@code ExampleStore} is internal, so users hand
     * in a {@code DataSet} or an iterator; the package's tests share one store between trainers.
     *
     * @param data materialised examples
     * @return this
     */
    B setData(ExampleStore data) {
        this.data = data;
        return self();
    }

    /**
     * Training data (required) held in memory as one {@code DataSet} (all examples, e.g. from
     * {@code DataSet.merge}), copied once into the trainer's own store.
     *
     * @param data the examples, with features and labels
     * @return this
     * @throws IllegalArgumentException if {@code data} is null or has no features or labels
     */
    public B setData(DataSet data) {
        if (data == null) {
            throw new IllegalArgumentException("training data is null");
        }
        this.data = ExampleStore.of(List.of(data));
        return self();
    }

    /**
     * Training data (required), read once into memory ({@link ExampleStore#materialise}).
     *
     * @param source iterator
     * @return this
     */
    public B setData(DataSetIterator source) {
        this.data = ExampleStore.materialise(source);
        return self();
    }

    /**
     * Training data with several inputs or outputs (required, for a {@code ComputationGraph}), read once into
     * memory ({@link ExampleStore#materialise(MultiDataSetIterator)}).
     *
     * @param source iterator
     * @return this
     */
    public B setData(MultiDataSetIterator source) {
        this.data = ExampleStore.materialise(source);
        return self();
    }

    /**
     * The ordering (required), e.g. {@code OrderingConfig.of("cd-grab", seed)}.
     *
     * @param ordering configuration
     * @return this
     */
    public B setOrdering(OrderingConfig ordering) {
        this.ordering = ordering;
        return self();
    }

    /**
     * Number of workers n. Default 1.
     *
     * @param n {@code >= 1}, at most the number of examples
     * @return this
     */
    public B optWorkers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("number of workers must be >= 1, got " + n);
        }
        this.workers = n;
        return self();
    }

    /**
     * Mini-batch size per worker (the global batch is n times this). Default 32.
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
     * What a unit is. Default {@link Granularity#BATCH}.
     *
     * @param g granularity
     * @return this
     */
    public B optGranularity(Granularity g) {
        if (g == null) {
            throw new IllegalArgumentException("granularity is null");
        }
        this.granularity = g;
        return self();
    }

    /**
     * Examples per unit for {@link Granularity#EXAMPLE_EXACT}. Default 1; must divide the batch size.
     *
     * @param m {@code >= 1}
     * @return this
     */
    public B optMicrobatch(int m) {
        if (m < 1) {
            throw new IllegalArgumentException("micro-batch size must be >= 1, got " + m);
        }
        this.microbatch = m;
        this.microbatchSet = true;
        return self();
    }

    /**
     * How examples are split over workers. Default {@link Sharding#CONTIGUOUS}.
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
     * Sequential or one thread per worker. Default {@link ExecutionMode#SEQUENTIAL}.
     *
     * @param m mode
     * @return this
     */
    public B optExecution(ExecutionMode m) {
        if (m == null) {
            throw new IllegalArgumentException("execution mode is null");
        }
        this.mode = m;
        return self();
    }

    /** @return the trainer */
    public DataParallelTrainer build() {
        if (model == null) {
            throw new IllegalArgumentException("a model is required (setModel)");
        }
        if (data == null) {
            throw new IllegalArgumentException("training data is required (setData)");
        }
        if (ordering == null) {
            throw new IllegalArgumentException("an ordering is required (setOrdering)");
        }
        if (microbatchSet && granularity != Granularity.EXAMPLE_EXACT) {
            throw new IllegalArgumentException("a micro-batch size only applies to granularity example-exact, not "
                    + granularity.id());
        }
        UnitDimension.checkSketch(ordering, granularity, model);
        if (data.size() < workers) {
            throw new IllegalArgumentException("cannot train " + workers + " workers on " + data.size()
                    + " examples: every worker needs at least one");
        }
        return new DataParallelTrainer(this);
    }
}
