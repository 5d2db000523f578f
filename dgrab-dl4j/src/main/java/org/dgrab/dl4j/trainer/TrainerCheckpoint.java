package org.dgrab.dl4j.trainer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.apache.commons.io.input.CloseShieldInputStream;
import org.apache.commons.io.output.CloseShieldOutputStream;
import org.dgrab.core.OrderingStrategy;
import org.dgrab.dl4j.model.ModelAdapter;

/**
 * The file format of {@link DataParallelTrainer#save}: one zip with the trainer's fields
 * ({@code trainer.properties}), the ordering state ({@code ordering.bin}) and the model with its updater state
 * ({@code model.zip}, DL4J's {@code ModelSerializer}). Reading checks the whole checkpoint before anything is
 * restored; {@link Contents#restoreInto} then changes the strategy and the model.
 */
final class TrainerCheckpoint {
    private static final String FORMAT = "dgrab-trainer-1";

    private TrainerCheckpoint() {
    }

    /**
     * What a checkpoint holds, read and checked.
     *
     * @param position   the step within the epoch
     * @param accounting the epoch's totals
     * @param ordering   the strategy's state
     * @param model      the model zip
     */
    record Contents(int position, EpochAccounting.State accounting, byte[] ordering, byte[] model) {
        /**
         * Restores the strategy and the model.
         *
         * @param strategy the trainer's strategy
         * @param master   the trained model
         * @throws IOException if either refuses its state
         */
        void restoreInto(OrderingStrategy strategy, ModelAdapter master) throws IOException {
            strategy.restore(new ByteArrayInputStream(ordering));
            master.load(new ByteArrayInputStream(model));
        }
    }

    /**
     * Writes a checkpoint.
     *
     * @param out         sink, not closed
     * @param description the trainer's configuration
     * @param position    the step within the epoch
     * @param accounting  the epoch's totals
     * @param strategy    the ordering
     * @param master      the trained model
     * @throws IOException on failure
     */
    static void write(OutputStream out, String description, int position, EpochAccounting.State accounting,
                      OrderingStrategy strategy, ModelAdapter master) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(new CloseShieldOutputStream(out));
        zip.putNextEntry(new ZipEntry("trainer.properties"));
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("description", description);
        p.setProperty("position", Integer.toString(position));
        p.setProperty("lossSum", Double.toString(accounting.lossSum()));
        p.setProperty("examples", Long.toString(accounting.examples()));
        p.setProperty("orderingSeconds", Double.toString(accounting.orderingSeconds()));
        p.setProperty("epochSeconds", Double.toString(accounting.seconds()));
        p.setProperty("messagesAtEpochStart", Long.toString(accounting.messagesAtEpochStart()));
        p.setProperty("bytesAtEpochStart", Long.toString(accounting.bytesAtEpochStart()));
        p.store(zip, "dgrab trainer checkpoint");
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry("ordering.bin"));
        strategy.save(zip);
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry("model.zip"));
        master.save(zip);
        zip.closeEntry();
        zip.finish();
        zip.flush();
    }

    /**
     * Reads a checkpoint written by {@link #write}.
     *
     * @param in          source, not closed
     * @param description this trainer's configuration, which the checkpoint's must equal
     * @return the contents
     * @throws IOException on failure or a checkpoint of a differently configured trainer
     */
    static Contents read(InputStream in, String description) throws IOException {
        Properties p = null;
        byte[] ordering = null;
        byte[] model = null;
        ZipInputStream zip = new ZipInputStream(new CloseShieldInputStream(in));
        for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
            byte[] bytes = zip.readAllBytes();
            switch (e.getName()) {
                case "trainer.properties":
                    p = new Properties();
                    p.load(new StringReader(new String(bytes, StandardCharsets.ISO_8859_1)));
                    break;
                case "ordering.bin":
                    ordering = bytes;
                    break;
                case "model.zip":
                    model = bytes;
                    break;
                default:
                    throw new IOException("unexpected entry '" + e.getName() + "' in trainer checkpoint");
            }
        }
        if (p == null || ordering == null || model == null) {
            throw new IOException("incomplete trainer checkpoint: needs trainer.properties, ordering.bin and model.zip");
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new IOException("unsupported trainer checkpoint format '" + p.getProperty("format") + "', expected " + FORMAT);
        }
        if (!description.equals(p.getProperty("description"))) {
            throw new IOException("checkpoint is of a trainer with " + p.getProperty("description") + "; this trainer has "
                    + description);
        }
        EpochAccounting.State accounting = new EpochAccounting.State(Double.parseDouble(p.getProperty("lossSum")),
                Long.parseLong(p.getProperty("examples")), Double.parseDouble(p.getProperty("orderingSeconds")),
                Double.parseDouble(p.getProperty("epochSeconds")), Long.parseLong(p.getProperty("messagesAtEpochStart")),
                Long.parseLong(p.getProperty("bytesAtEpochStart")));
        return new Contents(Integer.parseInt(p.getProperty("position")), accounting, ordering, model);
    }
}
