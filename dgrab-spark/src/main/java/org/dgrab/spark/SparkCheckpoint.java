package org.dgrab.spark;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.dgrab.core.internal.state.ConfigIdentity;
import org.dgrab.dl4j.internal.model.LoadedModel;
import org.dgrab.dl4j.internal.model.ModelAdapter;
import org.dgrab.dl4j.internal.model.ModelZip;

/**
 * The checkpoint of {@link SparkOrderedTrainer}, written on the driver between epochs: a plain DL4J model zip (as
 * {@code ModelSerializer} writes it, with the updater state, so DL4J reads it as usual), the layout that
 * {@code DataParallelTrainer}'s checkpoints use, with two more entries: {@value #PROPERTIES} (format, the trainer's
 * configuration as one {@code config.<field>} property per field, compared field by field on restore, the epoch) and {@value #ORDERING} (the driver's ordering state: the strategy's own checkpoint and
 * the per-worker relabelling left by D-RR fallbacks).
 */
final class SparkCheckpoint {
    /** The current format; {@code dgrab-spark-1} stored the configuration as one line of text and is not read. */
    static final String FORMAT = "dgrab-spark-2";
    /** Prefix of the configuration's fields among the properties. */
    private static final String CONFIG = "config.";
    static final String PROPERTIES = "dgrab/spark.properties";
    static final String ORDERING = "dgrab/spark-ordering.bin";

    private SparkCheckpoint() {
    }

    /**
     * What a checkpoint holds, read and checked against the model, not yet applied.
     *
     * @param epoch    the epoch to continue with
     * @param ordering the driver's ordering state
     * @param model    the checked model
     */
    record Contents(int epoch, byte[] ordering, LoadedModel model) {
    }

    static void write(OutputStream out, ConfigIdentity identity, int epoch, byte[] ordering, ModelAdapter model)
            throws IOException {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        identity.store(p, CONFIG);
        p.setProperty("epoch", Integer.toString(epoch));
        Map<String, ModelZip.EntryWriter> extra = new LinkedHashMap<>();
        extra.put(PROPERTIES, o -> p.store(o, "dgrab spark trainer checkpoint"));
        extra.put(ORDERING, o -> o.write(ordering));
        ModelZip.write(out, model, extra);
    }

    static Contents read(InputStream in, ConfigIdentity identity, String description, ModelAdapter model)
            throws IOException {
        byte[] all = in.readAllBytes();
        ModelZip.Entries entries = ModelZip.read(all, Set.of(PROPERTIES, ORDERING));
        Properties p = entries.properties(PROPERTIES);
        byte[] ordering = entries.found().get(ORDERING);
        Set<String> names = entries.names();
        if (p == null || ordering == null) {
            throw new IOException("not a dgrab-spark checkpoint: needs the entries " + PROPERTIES + " and " + ORDERING
                    + " beside the DL4J model; found " + names);
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new IOException("unsupported dgrab-spark checkpoint format '" + p.getProperty("format")
                    + "', expected " + FORMAT + ("dgrab-spark-1".equals(p.getProperty("format")) ? " (dgrab-spark-1 "
                    + "stored the configuration as one line of text, which cannot be compared field by field; resume it "
                    + "with the dgrab version that wrote it, or start the run again)" : ""));
        }
        identity.requireSame(ConfigIdentity.load(p, CONFIG), "this Spark trainer", description);
        int epoch;
        try {
            epoch = Integer.parseInt(p.getProperty("epoch"));
        } catch (NumberFormatException e) {
            throw new IOException("checkpoint field epoch is not an integer: " + p.getProperty("epoch"), e);
        }
        if (epoch < 0) {
            throw new IOException("checkpoint field epoch = " + epoch + " is negative");
        }
        LoadedModel loaded = model.read(new ByteArrayInputStream(all));
        return new Contents(epoch, ordering, loaded);
    }
}
