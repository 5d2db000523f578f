package org.dgrab.dl4j.iterator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.dgrab.core.NonFiniteGradientException;
import org.dgrab.core.internal.io.AtomicFiles;

/**
 * Checkpoints of {@code net.fit} / {@code graph.fit} / {@code ParallelWrapper} training with a drop-in iterator, the
 * DL4J way: one ordinary DL4J model zip (written by {@link ModelSerializer}, updater state included, so
 * {@code ModelSerializer.restoreMultiLayerNetwork} / {@code restoreComputationGraph} open it) with one more entry,
 * {@value #ENTRY}, holding the iterator's position and its ordering's state.
 *
 * <p>Resuming: restore the model with ModelSerializer, build the iterator exactly as before (same data and
 * settings) with the restored model, call {@link #restore}, and go on fitting; the run then continues with the same
 * batches, orders and parameters as an uninterrupted one. Count the epochs still to train from the iterator,
 * {@code epochs - iterator.ordering().epoch()}, not from the model: DL4J's own habit, a checkpoint taken in
 * {@code onEpochEnd} as its {@code CheckpointListener} does, holds the epoch count from before DL4J increments it.
 * Files are written to a temporary file beside the target, forced to the disk and renamed into place
 * ({@link AtomicFiles}), so a crash never leaves a half-written checkpoint under the target name.
 */
public final class OrderingCheckpoint {
    /** Name of the zip entry with the iterator's state. */
    public static final String ENTRY = "dgrab/iterator-state.bin";

    private OrderingCheckpoint() {
    }

    /**
     * Writes the model and the iterator's state. Call it between batches (e.g. after {@code fit} returned, or from
     * {@link OrderingCheckpointListener}). The file is replaced crash-safely ({@link AtomicFiles}): a kill or a full
     * disk during the write leaves the previous checkpoint as it was.
     *
     * @param file     target file (replaced); its directory must exist
     * @param model    the model being trained on the iterator
     * @param iterator the iterator
     * @throws IOException naming the file on write failure (the previous file is then unchanged)
     * @throws IllegalStateException if the iterator's state cannot be resumed, e.g. after a non-finite gradient
     *                               under {@code NonFinitePolicy.FAIL}: nothing is written then, and the message says
     *                               why and to restore the last good checkpoint
     */
    public static void save(File file, Model model, OrderedIterator iterator) throws IOException {
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        try {
            iterator.saveState(state);
        } catch (IllegalStateException e) {
            throw refused(file, e);
        }
        ByteArrayOutputStream modelZip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(model, modelZip, true);
        AtomicFiles.write(file.toPath(), out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(modelZip.toByteArray()))) {
                for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    zip.putNextEntry(new ZipEntry(e.getName()));
                    in.transferTo(zip);
                    zip.closeEntry();
                }
            }
            zip.putNextEntry(new ZipEntry(ENTRY));
            state.writeTo(zip);
            zip.closeEntry();
            zip.finish();
        });
    }

    /**
     * The refusal of a save whose iterator cannot be saved. A failure on the observer thread (a non-finite gradient
     * there, too) reaches here as the iterator's own message, which does not say what to do: add it.
     */
    private static IllegalStateException refused(File file, IllegalStateException e) {
        String advice = "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NonFiniteGradientException && !e.getMessage().contains("restore the last good checkpoint")) {
                advice = ". The state after a non-finite gradient would resume into the same failure: restore the "
                        + "last good checkpoint (one saved before the failure) and change what made the gradient "
                        + "non-finite (e.g. a lower learning rate), or use NonFinitePolicy.SKIP";
                break;
            }
        }
        return new IllegalStateException("checkpoint " + file + " not written: " + e.getMessage() + advice, e);
    }

    /**
     * Puts an iterator (built like the saved one, around the restored model) back at the saved point.
     *
     * @param file     a checkpoint written by {@link #save}
     * @param iterator the iterator
     * @throws IOException if the file is not such a checkpoint, is damaged, or belongs to a differently configured
     *                     iterator (the message says which)
     */
    public static void restore(File file, OrderedIterator iterator) throws IOException {
        try (ZipFile zip = new ZipFile(file)) {
            ZipEntry e = zip.getEntry(ENTRY);
            if (e == null) {
                throw new IOException(file + " has no dgrab iterator state (entry " + ENTRY + "): it was not written by "
                        + "OrderingCheckpoint");
            }
            try (InputStream in = zip.getInputStream(e)) {
                iterator.restoreState(in);
            }
        }
    }

    /**
     * @param file a file
     * @return whether it is a zip with the iterator state entry, i.e. written by {@link #save}; false for anything
     *         unreadable, such as a model zip of DL4J's own {@code CheckpointListener}
     */
    static boolean hasState(File file) {
        try (ZipFile zip = new ZipFile(file)) {
            return zip.getEntry(ENTRY) != null;
        } catch (IOException e) {
            return false;
        }
    }
}
