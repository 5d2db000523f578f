package org.dgrab.dl4j.trainer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.dgrab.core.OrderingStrategy;
import org.dgrab.core.internal.state.ConfigIdentity;
import org.dgrab.dl4j.internal.model.LoadedModel;
import org.dgrab.dl4j.internal.model.ModelAdapter;
import org.dgrab.dl4j.internal.model.ModelZip;

/**
 * The file format of {@link DataParallelTrainer#save}: a plain DL4J model zip, as {@code ModelSerializer} writes it
 * with the updater state (so {@code ModelSerializer.restoreMultiLayerNetwork} / {@code restoreComputationGraph} read
 * it as usual), with two more entries: {@value #PROPERTIES} (format, the trainer's configuration as one
 * {@code config.<field>} property per field, its position in the epoch and the epoch's totals) and
 * {@value #ORDERING} (the ordering strategy's own checkpoint).
 *
 * <p>{@link #read} checks everything it can before anything is changed: the format, the trainer configuration
 * field by field (ordering options, workers, batch, granularity, sharding, examples, units; not the execution mode,
 * so sequential and threaded checkpoints load into each other; see {@link ConfigIdentity#requireSame}), every
 * field's range, and the model (its configuration, parameter count and updater state, see {@link ModelAdapter#read}).
 */
final class TrainerCheckpoint {
    /**
     * The current format. {@code dgrab-trainer-1} nested the model zip inside; {@code dgrab-trainer-2} stored the
     * configuration as one line of text. Neither is read.
     */
    static final String FORMAT = "dgrab-trainer-3";
    /** Prefix of the configuration's fields among the properties. */
    private static final String CONFIG = "config.";
    static final String PROPERTIES = "dgrab/trainer.properties";
    static final String ORDERING = "dgrab/ordering.bin";
    /** The entries of a DL4J model zip that a checkpoint must have (the updater state is optional there). */
    private static final String MODEL_CONFIGURATION = "configuration.json";
    private static final String MODEL_PARAMETERS = "coefficients.bin";

    private TrainerCheckpoint() {
    }

    /**
     * What a checkpoint holds, read and checked, not yet applied.
     *
     * @param position   the step within the epoch
     * @param accounting the epoch's totals
     * @param ordering   the strategy's state
     * @param model      the checked model
     */
    record Contents(int position, EpochAccounting.State accounting, byte[] ordering, LoadedModel model) {
        /**
         * Restores the strategy, or puts its previous state back if it refuses the checkpoint's, so that a refused
         * restore changes nothing.
         *
         * @param strategy the trainer's strategy
         * @throws IOException if the strategy refuses the state
         */
        void restoreOrdering(OrderingStrategy strategy) throws IOException {
            byte[] previous = null;
            try {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                strategy.save(b);
                previous = b.toByteArray();
            } catch (IOException | RuntimeException e) {
                // A strategy left mid-step by a failure may refuse to save; the restore goes ahead without a way back.
                previous = null;
            }
            try {
                strategy.restore(new ByteArrayInputStream(ordering));
            } catch (IOException | RuntimeException e) {
                if (previous != null) {
                    try {
                        strategy.restore(new ByteArrayInputStream(previous));
                    } catch (IOException | RuntimeException again) {
                        e.addSuppressed(again);
                    }
                }
                throw e;
            }
        }
    }

    /**
     * Writes a checkpoint.
     *
     * @param out           sink, not closed
     * @param identity      the trainer's configuration (without its execution mode)
     * @param position      the step within the epoch
     * @param accounting    the epoch's totals
     * @param strategy      the ordering
     * @param master        the trained model
     * @throws IOException on failure
     */
    static void write(OutputStream out, ConfigIdentity identity, int position, EpochAccounting.State accounting,
                      OrderingStrategy strategy, ModelAdapter master) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        identity.store(p, CONFIG);
        p.setProperty("position", Integer.toString(position));
        p.setProperty("lossSum", Double.toString(accounting.lossSum()));
        p.setProperty("examples", Long.toString(accounting.examples()));
        p.setProperty("orderingSeconds", Double.toString(accounting.orderingSeconds()));
        p.setProperty("epochSeconds", Double.toString(accounting.seconds()));
        p.setProperty("messagesAtEpochStart", Long.toString(accounting.messagesAtEpochStart()));
        p.setProperty("bytesAtEpochStart", Long.toString(accounting.bytesAtEpochStart()));
        Map<String, ModelZip.EntryWriter> extra = new LinkedHashMap<>();
        extra.put(PROPERTIES, o -> p.store(o, "dgrab trainer checkpoint"));
        extra.put(ORDERING, strategy::save);
        ModelZip.write(out, master, extra);
    }

    /**
     * Reads and checks a checkpoint written by {@link #write}, changing nothing.
     *
     * @param in            source, not closed
     * @param identity      this trainer's configuration, which the checkpoint's must equal field by field
     * @param description   this trainer's configuration in one line, for messages
     * @param stepsPerEpoch this trainer's steps per epoch
     * @param master        the trained model, whose configuration the checkpoint's model must have
     * @return the contents
     * @throws IOException on failure, a field out of range, or a checkpoint of a differently configured trainer or
     *                     model (the message says which)
     */
    static Contents read(InputStream in, ConfigIdentity identity, String description, int stepsPerEpoch,
                         ModelAdapter master) throws IOException {
        byte[] all = in.readAllBytes();
        ModelZip.Entries entries = ModelZip.read(all, Set.of(PROPERTIES, ORDERING));
        Properties p = entries.properties(PROPERTIES);
        byte[] ordering = entries.found().get(ORDERING);
        Set<String> names = entries.names();
        if (names.contains("trainer.properties") && names.contains("model.zip")) {
            throw new IOException("trainer checkpoint of format dgrab-trainer-1 (the model nested as model.zip) is no "
                    + "longer read; this version reads " + FORMAT);
        }
        if (p == null || ordering == null || !names.contains(MODEL_CONFIGURATION) || !names.contains(MODEL_PARAMETERS)) {
            throw new IOException("incomplete trainer checkpoint: needs " + PROPERTIES + ", " + ORDERING + " and the "
                    + "model's " + MODEL_CONFIGURATION + " and " + MODEL_PARAMETERS + "; found " + names);
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new IOException("unsupported trainer checkpoint format '" + p.getProperty("format") + "', expected "
                    + FORMAT + ("dgrab-trainer-2".equals(p.getProperty("format")) ? " (dgrab-trainer-2 stored the "
                    + "configuration as one line of text, which cannot be compared field by field; resume it with the "
                    + "dgrab version that wrote it, or start the run again)" : ""));
        }
        identity.requireSame(ConfigIdentity.load(p, CONFIG), "this trainer", description);
        int position = (int) number(p, "position", 0, stepsPerEpoch - 1);
        EpochAccounting.State accounting;
        try {
            accounting = new EpochAccounting.State(real(p, "lossSum"), number(p, "examples", 0, Long.MAX_VALUE),
                    real(p, "orderingSeconds"), real(p, "epochSeconds"),
                    number(p, "messagesAtEpochStart", 0, Long.MAX_VALUE), number(p, "bytesAtEpochStart", 0, Long.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw new IOException("trainer checkpoint: " + e.getMessage(), e);
        }
        LoadedModel model = master.read(new ByteArrayInputStream(all));
        return new Contents(position, accounting, ordering, model);
    }

    private static long number(Properties p, String field, long min, long max) throws IOException {
        String v = p.getProperty(field);
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IOException("trainer checkpoint field " + field + " is not an integer: " + v, e);
        }
        if (n < min || n > max) {
            throw new IOException("trainer checkpoint field " + field + " = " + n + " is outside [" + min + ", " + max + "]");
        }
        return n;
    }

    private static double real(Properties p, String field) throws IOException {
        String v = p.getProperty(field);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IOException("trainer checkpoint field " + field + " is not a number: " + v, e);
        }
    }
}
