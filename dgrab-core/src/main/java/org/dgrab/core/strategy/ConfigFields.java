package org.dgrab.core.strategy;

import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

import org.dgrab.core.OrderingConfig;
import org.dgrab.core.balance.SignRule;
import org.dgrab.core.state.StateReader;

/**
 * The configuration as a checkpoint stores it: one explicit field per option that affects orders (kind id, seed,
 * sign rule, non-finite policy, sketch dimension) and the shard sizes, so that a restore compares values, never
 * descriptions, and a refusal names the field that differs with both values. The sign timeout is not stored: it
 * does not change orders.
 */
final class ConfigFields {
    private ConfigFields() {
    }

    static void write(DataOutput out, OrderingConfig config, int[] units) throws IOException {
        out.writeUTF(config.kind().id());
        out.writeLong(config.seed());
        out.writeBoolean(config.signRule().isRandom());
        out.writeDouble(config.signRule().constant());
        out.writeUTF(config.nonFinitePolicy().name());
        out.writeInt(config.sketchDim());
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
    static void check(StateReader in, OrderingConfig config, int[] units) throws IOException {
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
        return new IOException("checkpoint is of another configuration: " + field + " differs, the checkpoint has "
                + field + "=" + got + ", this strategy has " + field + "=" + expected + " (this strategy: " + config + ")");
    }
}
