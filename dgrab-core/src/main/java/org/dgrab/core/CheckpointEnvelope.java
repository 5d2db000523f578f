package org.dgrab.core;

import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

import org.dgrab.core.balance.SignRule;
import org.dgrab.core.internal.balance.VectorBuffer;
import org.dgrab.core.internal.random.Permutations;
import org.dgrab.core.internal.state.ConfigIdentity;
import org.dgrab.core.internal.state.StateFormat;
import org.dgrab.core.internal.state.StateReader;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The part of a checkpoint that every strategy shares, written and read by {@link AbstractOrderingStrategy}: the
 * configuration as one explicit field per option that affects orders (kind id, seed, sign rule, non-finite policy,
 * sketch dimension, tree depth of cd-grab-recursive; not the sign timeout, which does not change orders), the shard sizes, epoch, step counters,
 * orders, skipped units and the input description. A restore compares values, never descriptions, and a refusal
 * names the field that differs with both values. Immutable once read.
 */
final class CheckpointEnvelope {
    final int epoch;
    final int[] steps;
    final int[][] orders;
    final long skipped;
    /** Input description; {@code type} is null when no input was recorded. */
    final int dim;
    final boolean nd;
    final DataType type;

    private CheckpointEnvelope(int epoch, int[] steps, int[][] orders, long skipped, int dim, boolean nd, DataType type) {
        this.epoch = epoch;
        this.steps = steps;
        this.orders = orders;
        this.skipped = skipped;
        this.dim = dim;
        this.nd = nd;
        this.type = type;
    }

    /**
     * Writes the shared part of a strategy's state.
     *
     * @param type the input data type, or null if no input has been seen (then {@code dim} and {@code nd} are
     *             not written)
     */
    static void write(DataOutput out, OrderingConfig config, int[] units, int epoch, int[] steps, int[][] orders,
            long skipped, int dim, boolean nd, DataType type) throws IOException {
        writeConfig(out, config, units);
        out.writeInt(epoch);
        StateFormat.writeInts(out, steps);
        for (int[] o : orders) {
            StateFormat.writeInts(out, o);
        }
        out.writeLong(skipped);
        out.writeBoolean(type != null);
        if (type != null) {
            out.writeInt(dim);
            out.writeBoolean(nd);
            out.writeUTF(type.name());
        }
    }

    /**
     * Reads and checks the shared part: refuses another configuration or shard sizes, steps or orders that do not
     * fit the shards, and an input description that does not fit the kind or the bytes that follow.
     */
    static CheckpointEnvelope read(StateReader in, OrderingConfig config, int[] units) throws IOException {
        checkConfig(in, config, units);
        int n = units.length;
        int epoch = in.readInt("epoch", 0, Integer.MAX_VALUE);
        int[] steps = in.readInts("step counters", n);
        int[][] orders = new int[n][];
        for (int w = 0; w < n; w++) {
            if (steps[w] < 0 || steps[w] > units[w]) {
                throw in.corrupt("worker " + w + " is at step " + steps[w] + ", expected [0, " + units[w] + "]");
            }
            orders[w] = in.readInts("order of worker " + w, units[w]);
            if (!Permutations.isPermutation(orders[w])) {
                throw in.corrupt("order of worker " + w + " is not a permutation of " + units[w] + " units");
            }
        }
        long skipped = in.readCount("skipped units");
        boolean gradients = config.kind().needsGradients();
        if (!in.readBoolean("input recorded")) {
            if (gradients && (epoch > 0 || Arrays.stream(steps).anyMatch(t -> t > 0))) {
                throw in.corrupt("no input is recorded, but " + config.kind().id() + " has observed gradients (epoch "
                        + epoch + ", steps " + Arrays.toString(steps) + ")");
            }
            return new CheckpointEnvelope(epoch, steps, orders, skipped, 0, false, null);
        }
        int k = config.sketchDim();
        int dim = in.readInt("input dimension", Math.max(1, k), Integer.MAX_VALUE);
        boolean nd = in.readBoolean("input kind");
        DataType type = VectorBuffer.readDataType(in, "input data type");
        // Every strategy that has seen an input stores at least one vector of the balanced dimension.
        if (!gradients || (!nd && type != DataType.DOUBLE) || 8L * (k > 0 ? k : dim) > in.remaining()) {
            throw in.corrupt("input description (" + (nd ? "ND4J " + type : "double[]") + " of dimension " + dim
                    + ") does not fit " + config.kind().id() + " and the " + in.remaining() + " bytes of state that follow");
        }
        return new CheckpointEnvelope(epoch, steps, orders, skipped, dim, nd, type);
    }

    private static void writeConfig(DataOutput out, OrderingConfig config, int[] units) throws IOException {
        out.writeUTF(config.kind().id());
        out.writeLong(config.seed());
        out.writeBoolean(config.signRule().isRandom());
        out.writeDouble(config.signRule().constant());
        out.writeUTF(config.nonFinitePolicy().name());
        out.writeInt(config.sketchDim());
        if (config.kind() == OrderingConfig.Kind.CD_GRAB_RECURSIVE) {
            // Only this kind has a depth, so the other kinds' checkpoints keep their layout.
            out.writeInt(config.depth());
        }
        out.writeInt(units.length);
        for (int m : units) {
            out.writeInt(m);
        }
    }

    /**
     * Reads the stored configuration and refuses one that differs from {@code config} or {@code units}.
     *
     * @throws IOException naming the first field that differs, with the checkpoint's and this strategy's values
     */
    private static void checkConfig(StateReader in, OrderingConfig config, int[] units) throws IOException {
        same("kind", in.readUTF("ordering kind"), config.kind().id(), config);
        same("seed", in.readLong("seed"), config.seed(), config);
        boolean random = in.readBoolean("sign rule kind");
        double c = in.readDouble("sign rule constant");
        SignRule rule = config.signRule();
        if (random != rule.isRandom() || Double.compare(c, rule.constant()) != 0) {
            // Values are compared; the rule's description only makes the message readable.
            throw differs("signs", random ? "probabilistic(" + c + ")" : "deterministic", rule, config);
        }
        same("nonFinite", in.readUTF("non-finite policy"), config.nonFinitePolicy().name(), config);
        same("sketch", in.readInt("sketch dimension"), config.sketchDim(), config);
        if (config.kind() == OrderingConfig.Kind.CD_GRAB_RECURSIVE) {
            same("depth", in.readInt("tree depth"), config.depth(), config);
        }
        int[] got = in.readInts("units per worker", 1, Integer.MAX_VALUE);
        if (!Arrays.equals(got, units)) {
            throw differs("units per worker", Arrays.toString(got), Arrays.toString(units), config);
        }
    }

    private static void same(String field, Object got, Object expected, OrderingConfig config) throws IOException {
        if (!got.equals(expected)) {
            throw differs(field, got, expected, config);
        }
    }

    private static IOException differs(String field, Object got, Object expected, OrderingConfig config) {
        return ConfigIdentity.differs(field, got, expected, "this strategy", config.toString());
    }
}
