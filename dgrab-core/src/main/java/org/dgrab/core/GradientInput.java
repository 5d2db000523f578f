package org.dgrab.core;

import java.util.function.Consumer;
import java.util.function.IntSupplier;

import org.dgrab.core.internal.balance.ArrayVectorBuffer;
import org.dgrab.core.internal.balance.CountSketch;
import org.dgrab.core.internal.balance.NdVectorBuffer;
import org.dgrab.core.internal.balance.VectorBuffer;
import org.dgrab.core.internal.balance.VectorRef;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The gradient input of a strategy: what kind of vector it takes (ND4J array of one data type or {@code double[]}
 * slice, and its dimension, fixed by the first gradient or by a restore), the checks every later gradient must pass,
 * and the optional count-sketch that maps each gradient to the balanced dimension, with one output buffer per worker.
 *
 * <p>Call order: {@link #accept} for every gradient (the first one fixes the description and calls the strategy's
 * allocation with a zero vector of the balanced dimension); a restore calls {@link #clear()} and then, if the
 * checkpoint describes an input, {@link #setUp}. Thread-safety: {@code accept} may run concurrently for different
 * workers; the first-gradient set-up and the sketch's construction are under one lock.
 */
final class GradientInput {
    private final OrderingConfig config;
    private final int workers;
    private final Consumer<VectorBuffer> allocate;
    private final IntSupplier vectors;
    private final Object lock = new Object();
    private volatile boolean initialised;
    private int dim;
    private boolean nd;
    private DataType type;
    /** Built by the first gradient that needs it (its tables have the input dimension). */
    private volatile CountSketch sketch;
    private VectorBuffer[] sketchOut;
    private VectorRef[] sketchRefs;
    private CountSketch.Scratch[] scratch;

    /**
     * @param config   the strategy's configuration (sketch dimension and seed)
     * @param workers  number of workers
     * @param allocate the strategy's allocation hook, called with a zero vector of the balanced dimension
     * @param vectors  how many vectors of that dimension the hook allocates per worker, for the memory estimate
     */
    GradientInput(OrderingConfig config, int workers, Consumer<VectorBuffer> allocate, IntSupplier vectors) {
        this.config = config;
        this.workers = workers;
        this.allocate = allocate;
        this.vectors = vectors;
    }

    /**
     * The state's size for {@link DgrabOutOfMemoryError}: every worker's vectors of the balanced dimension, sketch
     * outputs included, plus the prototype.
     */
    private long stateBytes(boolean nd, DataType type, int balanceDim) {
        int perWorker = vectors.getAsInt() + (config.sketchDim() > 0 ? 1 : 0);
        return ((long) workers * perWorker + 1) * balanceDim * (nd ? type.width() : Double.BYTES);
    }

    private String stateName(boolean nd, DataType type, int balanceDim) {
        return "the " + config.kind().id() + " ordering state (" + workers + " workers x about "
                + (vectors.getAsInt() + (config.sketchDim() > 0 ? 1 : 0)) + " vectors of " + balanceDim + " "
                + (nd ? type : DataType.DOUBLE) + ")";
    }

    private static DgrabOutOfMemoryError.Memory memory(boolean nd) {
        return nd ? DgrabOutOfMemoryError.Memory.OFF_HEAP : DgrabOutOfMemoryError.Memory.HEAP;
    }

    /**
     * Checks a gradient against the input description (set up by the first one) and sketches it if configured.
     *
     * @param worker worker id, for messages and the sketch buffer
     * @param step   step, for messages
     * @param epoch  epoch, for messages
     * @param in     the gradient
     * @return the vector to balance: {@code in} itself, or the worker's sketch of it (valid until its next call)
     * @throws IllegalArgumentException if its dimension or kind differs from the first gradient's, or the sketch
     *                                  dimension exceeds the first gradient's dimension
     */
    VectorRef accept(int worker, int step, int epoch, VectorRef in) {
        if (!initialised) {
            initialise(in);
        }
        if (in.dim() != dim) {
            throw new IllegalArgumentException("gradient from worker " + worker + " in epoch " + epoch + " at step " + step
                    + " has " + in.dim() + " elements, expected " + dim + " (the dimension of the first gradient)");
        }
        if (in.isNd() != nd || in.dataType() != type) {
            throw new IllegalArgumentException("gradient from worker " + worker + " in epoch " + epoch + " at step " + step
                    + " is " + describe(in.isNd(), in.dataType()) + ", expected " + describe(nd, type)
                    + " like the first gradient");
        }
        if (sketchOut == null) {
            return in;
        }
        CountSketch s = sketch;
        if (s == null) {
            s = buildSketch();
        }
        s.apply(in, sketchOut[worker], scratch[worker]);
        return sketchRefs[worker];
    }

    private static String describe(boolean nd, DataType type) {
        return nd ? "an ND4J " + type + " array" : "a double[] slice";
    }

    private void initialise(VectorRef first) {
        synchronized (lock) {
            if (!initialised) {
                int k = config.sketchDim();
                if (k > first.dim()) {
                    throw new IllegalArgumentException("sketch dimension " + k + " exceeds the gradient dimension "
                            + first.dim());
                }
                setUp(first.isNd(), first.dataType(), first.dim(), prototype(first.isNd(), first.dataType(), first.dim()));
            }
        }
    }

    private CountSketch buildSketch() {
        synchronized (lock) {
            if (sketch == null) {
                sketch = new CountSketch(config.seed(), dim, config.sketchDim());
            }
            return sketch;
        }
    }

    /**
     * @param nd   ND4J input (else {@code double[]})
     * @param type the input's data type
     * @param dim  the input's dimension
     * @return a zero vector of the balanced dimension (the sketch's if configured): the shape of every state vector
     */
    VectorBuffer prototype(boolean nd, DataType type, int dim) {
        int balanceDim = config.sketchDim() > 0 ? config.sketchDim() : dim;
        long bytes = stateBytes(nd, type, balanceDim);
        // Refused before the first byte is allocated where the limit cannot hold it: a restore then changes nothing.
        DgrabOutOfMemoryError.checkFits(stateName(nd, type, balanceDim), bytes, memory(nd));
        try {
            return nd ? new NdVectorBuffer(type, balanceDim) : new ArrayVectorBuffer(balanceDim);
        } catch (OutOfMemoryError e) {
            throw DgrabOutOfMemoryError.of(stateName(nd, type, balanceDim), bytes, memory(nd), e);
        }
    }

    /**
     * Fixes the input description and calls the allocation hook (first gradient, or a restore).
     *
     * @param nd    ND4J input (else {@code double[]})
     * @param type  the input's data type
     * @param dim   the input's dimension
     * @param proto {@link #prototype} of these
     */
    void setUp(boolean nd, DataType type, int dim, VectorBuffer proto) {
        try {
            allocateState(nd, type, dim, proto);
        } catch (OutOfMemoryError e) {
            throw DgrabOutOfMemoryError.of(stateName(nd, type, proto.dim()), stateBytes(nd, type, proto.dim()),
                    memory(nd), e);
        }
    }

    private void allocateState(boolean nd, DataType type, int dim, VectorBuffer proto) {
        synchronized (lock) {
            int k = config.sketchDim();
            sketch = null;
            sketchOut = null;
            if (k > 0) {
                sketchOut = new VectorBuffer[workers];
                sketchRefs = new VectorRef[workers];
                scratch = new CountSketch.Scratch[workers];
                for (int w = 0; w < workers; w++) {
                    sketchOut[w] = proto.newZero();
                    sketchRefs[w] = nd ? new VectorRef().set(((NdVectorBuffer) sketchOut[w]).array())
                            : new VectorRef().set(((ArrayVectorBuffer) sketchOut[w]).values(), 0, k);
                    scratch[w] = new CountSketch.Scratch();
                }
            }
            allocate.accept(proto);
            this.dim = dim;
            this.nd = nd;
            this.type = type;
            initialised = true;
        }
    }

    /** Forgets the input description (a restore of a checkpoint taken before the first gradient). */
    void clear() {
        synchronized (lock) {
            initialised = false;
            sketch = null;
            sketchOut = null;
        }
    }

    /** @return the input's dimension (0 before the first gradient) */
    int dim() {
        return dim;
    }

    /** @return whether the input is ND4J arrays */
    boolean nd() {
        return nd;
    }

    /** @return the input's data type, or null before the first gradient */
    DataType typeOrNull() {
        return initialised ? type : null;
    }
}
