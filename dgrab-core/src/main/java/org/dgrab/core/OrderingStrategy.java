package org.dgrab.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

import org.dgrab.core.internal.io.AtomicFiles;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Chooses, epoch by epoch, the order in which each of {@code n} workers visits its {@code m_w} local units
 * (examples or mini-batches, numbered {@code 0..m_w-1} per worker). One worker is the ordinary single-process case.
 *
 * <p>Call order, for each epoch:
 * <ol>
 *   <li>{@link #order(int)} or {@link #unitAt(int, int)}: read worker {@code w}'s order for this epoch;</li>
 *   <li>{@link #observe(int, int, INDArray)} for steps {@code 0, 1, ..., m_w-1} of each worker, in step order,
 *   handing in the gradient of the unit visited at that step (only when {@link #needsGradients()};
 *   strategies that ignore gradients accept and discard the calls);</li>
 *   <li>{@link #endEpoch()} once, after every worker's last observation, which computes the next orders.</li>
 * </ol>
 * {@link #close()} releases resources; any later call throws {@link IllegalStateException}.
 *
 * <p>Threading: {@code observe} may run concurrently for different workers (one thread per worker); calls for
 * the same worker must not overlap. {@code endEpoch}, {@code save} and {@code restore} must not overlap any other
 * call. Determinism: the orders depend only on the configuration (seed included) and the gradients, never on
 * thread timing.
 *
 * <p>Errors never lose state: a call that throws leaves the strategy as it was before the call.
 */
public interface OrderingStrategy extends AutoCloseable {

    /** @return the configuration this strategy was created from */
    OrderingConfig config();

    /** @return number of workers {@code n >= 1} */
    int workers();

    /**
     * @param worker worker id in {@code [0, n)}
     * @return number of local units of that worker
     */
    int units(int worker);

    /** @return the current epoch, starting at 0 */
    int epoch();

    /** @return true if orders depend on observed gradients; false for random or fixed orders */
    boolean needsGradients();

    /**
     * Counters of this strategy: skipped units and, for a distributed ordering, the messages and bytes exchanged
     * with its coordinator. Safe to call at any time, also while another thread observes (the counters are then
     * read one by one, not as one atomic snapshot), and after {@link #close()}.
     *
     * @return a snapshot of the counters; zeros where not applicable
     */
    OrderingStats stats();

    /**
     * The current epoch's order of one worker.
     *
     * @param worker worker id in {@code [0, n)}
     * @return a fresh copy of the order: entry {@code t} is the unit visited at step {@code t}
     */
    int[] order(int worker);

    /**
     * One entry of the current order, without copying.
     *
     * @param worker worker id
     * @param step   step in {@code [0, m_w)}
     * @return the unit visited at that step
     */
    int unitAt(int worker, int step);

    /**
     * Hands in the gradient of the unit that worker {@code worker} visited at {@code step} of the current epoch.
     *
     * @param worker   worker id in {@code [0, n)}
     * @param step     the next step of that worker (steps must arrive in order, once each)
     * @param gradient vector of the strategy's dimension (fixed by the first call); read, never kept
     * @throws IllegalArgumentException for a wrong worker, step, shape or data type
     * @throws NonFiniteGradientException for NaN or infinite values under {@link NonFinitePolicy#FAIL}
     * @throws IllegalStateException after {@link #close()}
     */
    void observe(int worker, int step, INDArray gradient);

    /**
     * Same as {@link #observe(int, int, INDArray)} for a vector held in a plain array slice (the fast path for
     * small vectors, such as sketches or simulations). A strategy takes either ND4J or array inputs, not both.
     *
     * @param worker worker id
     * @param step   the next step of that worker
     * @param values backing array
     * @param offset index of the first element
     * @param dim    number of elements
     */
    void observe(int worker, int step, double[] values, int offset, int dim);

    /**
     * Finishes the epoch: computes every worker's next order and increments {@link #epoch()}.
     *
     * @throws IllegalStateException if a gradient strategy has not observed every step of every worker
     */
    void endEpoch();

    /**
     * Writes the complete ordering state (orders, running sums, pointers, epoch, random state) in a versioned
     * binary format with a checksum ({@link org.dgrab.core.internal.state.StateFormat}). Allowed at any step, also mid-epoch.
     *
     * @param out sink; not closed
     * @throws IOException on write failure
     * @throws IllegalStateException after a {@link NonFiniteGradientException} (policy {@link NonFinitePolicy#FAIL})
     *                               until the failed step is observed again with a finite gradient, or a checkpoint
     *                               is restored: a checkpoint of that state would resume into the same failure
     */
    void save(OutputStream out) throws IOException;

    /**
     * Writes the state as {@link #save(OutputStream)} does, crash-safely: to a temporary file beside {@code file},
     * forced to the disk and renamed over it ({@link AtomicFiles}), so a kill or a full disk leaves the previous
     * checkpoint as it was, never a truncated one.
     *
     * @param file the checkpoint file (replaced); its directory must exist
     * @throws IOException naming the file if it cannot be written (the previous one is then unchanged)
     * @throws IllegalStateException in a failed state, as {@link #save(OutputStream)}
     */
    default void save(Path file) throws IOException {
        AtomicFiles.write(file, this::save);
    }

    /**
     * Restores a checkpoint file written by {@link #save(Path)}, as {@link #restore(InputStream)} does.
     *
     * @param file the checkpoint file
     * @throws IOException as {@link #restore(InputStream)}, with the file's name in the message
     */
    default void restore(Path file) throws IOException {
        AtomicFiles.read(file, this::restore);
    }

    /**
     * Replaces this strategy's state with a checkpoint written by {@link #save} from a strategy of the same
     * configuration and shard sizes; continuing then gives exactly the orders the saved strategy would have given.
     * The checkpoint must be the rest of the stream. Everything is checked before anything changes: a restore that
     * throws leaves the strategy as it was.
     *
     * @param in source; read to its end, not closed
     * @throws IOException on read failure, a file that is not a checkpoint of this format version, a truncated or
     *                     corrupt checkpoint or one with trailing bytes, a different configuration or shard sizes
     *                     (naming the field and both values), or a state the strategy cannot reach; the message
     *                     says what is wrong and at which byte
     */
    void restore(InputStream in) throws IOException;

    /** @return a new strategy with the same configuration and shard sizes and fresh state (epoch 0) */
    OrderingStrategy copy();

    /** Releases resources. Idempotent. */
    @Override
    void close();
}
