package org.dgrab.dl4j.internal.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.apache.commons.io.output.CloseShieldOutputStream;

/**
 * A plain DL4J model zip, as {@code ModelSerializer} writes it (so {@code restoreMultiLayerNetwork} /
 * {@code restoreComputationGraph} read it as usual), with entries of dgrab's own beside the model's: the format of
 * the trainers' checkpoints (in-process and Spark). Reading collects the named entries in one pass; checking them is
 * the caller's job.
 */
public final class ModelZip {

    /** Writes the content of one extra entry. */
    @FunctionalInterface
    public interface EntryWriter {
        /**
         * @param out the entry's stream, not to be closed
         * @throws IOException on failure
         */
        void write(OutputStream out) throws IOException;
    }

    /**
     * The entries found in a zip.
     *
     * @param found the wanted entries that were there, by name
     * @param names every entry's name, for messages and format checks
     */
    public record Entries(Map<String, byte[]> found, Set<String> names) {
        /**
         * @param name an entry written from {@link Properties#store(OutputStream, String)}
         * @return its properties, or null if the zip has no such entry
         * @throws IOException if the entry is not a properties file
         */
        public Properties properties(String name) throws IOException {
            byte[] b = found.get(name);
            if (b == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(new StringReader(new String(b, StandardCharsets.ISO_8859_1)));
            return p;
        }
    }

    private ModelZip() {
    }

    /**
     * Writes the model's zip followed by the extra entries, in their iteration order.
     *
     * @param out   sink, not closed
     * @param model the model, saved with its updater state
     * @param extra entry names and their writers (use a {@link LinkedHashMap} for a fixed order)
     * @throws IOException on failure
     */
    public static void write(OutputStream out, ModelAdapter model, Map<String, EntryWriter> extra) throws IOException {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        model.save(m);
        ZipOutputStream zip = new ZipOutputStream(new CloseShieldOutputStream(out));
        // ModelSerializer writes and closes a zip of its own: its entries are copied as they are.
        try (ZipInputStream modelZip = new ZipInputStream(new ByteArrayInputStream(m.toByteArray()))) {
            for (ZipEntry e; (e = modelZip.getNextEntry()) != null; ) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                modelZip.transferTo(zip);
                zip.closeEntry();
            }
        }
        for (Map.Entry<String, EntryWriter> e : extra.entrySet()) {
            zip.putNextEntry(new ZipEntry(e.getKey()));
            e.getValue().write(zip);
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    /**
     * @param zip    a whole zip file
     * @param wanted the entries to collect
     * @return the wanted entries found, and every entry's name
     * @throws IOException if the zip cannot be read
     */
    public static Entries read(byte[] zip, Set<String> wanted) throws IOException {
        Map<String, byte[]> found = new HashMap<>();
        Set<String> names = new HashSet<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
                if (wanted.contains(e.getName())) {
                    found.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return new Entries(found, names);
    }
}
