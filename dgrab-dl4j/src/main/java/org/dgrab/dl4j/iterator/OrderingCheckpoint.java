package org.dgrab.dl4j.iterator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Checkpoints of {@code net.fit} / {@code graph.fit} / {@code ParallelWrapper} training with a drop-in iterator, the
 * DL4J way: one ordinary DL4J model zip (written by {@link ModelSerializer}, updater state included, so
 * {@code ModelSerializer.restoreMultiLayerNetwork} / {@code restoreComputationGraph} open it) with one more entry,
 * {@value #ENTRY}, holding the iterator's position and its ordering's state.
 *
 * <p>Resuming: restore the model with ModelSerializer, build the iterator exactly as before (same data and
 * settings) with the restored model, call {@link #restore}, and go on fitting; the run then continues with the same
 * batches, orders and parameters as an uninterrupted one. Files are written to a temporary file beside the target
 * and moved into place, so a crash never leaves a half-written checkpoint under the target name.
 */
public final class OrderingCheckpoint {
    /** Name of the zip entry with the iterator's state. */
    public static final String ENTRY = "dgrab/iterator-state.bin";

    private OrderingCheckpoint() {
    }

    /**
     * Writes the model and the iterator's state. Call it between batches (e.g. after {@code fit} returned, or from
     * {@link OrderingCheckpointListener}).
     *
     * @param file     target file (replaced)
     * @param model    the model being trained on the iterator
     * @param iterator the iterator
     * @throws IOException on write failure
     */
    public static void save(File file, Model model, OrderedIterator iterator) throws IOException {
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        iterator.saveState(state);
        ByteArrayOutputStream modelZip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(model, modelZip, true);
        Path target = file.toPath().toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os);
                 ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(modelZip.toByteArray()))) {
                for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    zip.putNextEntry(new ZipEntry(e.getName()));
                    in.transferTo(zip);
                    zip.closeEntry();
                }
                zip.putNextEntry(new ZipEntry(ENTRY));
                state.writeTo(zip);
                zip.closeEntry();
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
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
}
