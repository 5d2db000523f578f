package org.dgrab.lab.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.apache.commons.lang3.StringUtils;

/**
 * Labelled sentences read from a {@code label<TAB>text} file (UTF-8, one sentence per line, no header): the input
 * of {@code dgrab text}, shaped like a GLUE single-sentence task. The label is everything before the first tab,
 * trimmed; the text everything after it. Blank lines are skipped.
 *
 * @param source  the file, for messages
 * @param classes the class names, in class-index order
 * @param texts   the sentences, in file order
 * @param labels  each sentence's class index into {@code classes}
 */
public record LabelledSentences(Path source, List<String> classes, List<String> texts, int[] labels) {

    /** A file that does not have the expected {@code label<TAB>text} shape, or a class it does not contain. */
    public static final class FormatException extends IOException {
        private static final long serialVersionUID = 1L;

        /** @param message what is wrong and where */
        public FormatException(String message) {
            super(message);
        }
    }

    /** A requested class that the file does not contain. */
    public static final class UnknownClassException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /** @param message which class, and the file's classes */
        public UnknownClassException(String message) {
            super(message);
        }
    }

    /** @return number of sentences */
    public int size() {
        return texts.size();
    }

    /**
     * Reads a file, keeping the sentences of some classes.
     *
     * @param file    the TSV file
     * @param select  the classes to keep, in the order they should get indices; empty: every class of the file, in
     *                sorted order
     * @return the sentences of the selected classes
     * @throws FormatException        naming the line for a line without a tab or with an empty label, or when fewer
     *                                than two classes remain
     * @throws UnknownClassException  if a selected class is not in the file (the message lists the file's classes)
     * @throws IOException            if the file cannot be read
     */
    public static LabelledSentences read(Path file, List<String> select) throws IOException {
        List<String> labelOf = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                int tab = line.indexOf('\t');
                if (tab < 0) {
                    throw new FormatException(file + " line " + lineNo + ": no tab; expected label<TAB>text, got '"
                            + StringUtils.abbreviate(line, 60) + "'");
                }
                String label = line.substring(0, tab).trim();
                if (label.isEmpty()) {
                    throw new FormatException(file + " line " + lineNo + ": empty label before the tab; expected "
                            + "label<TAB>text");
                }
                labelOf.add(label);
                texts.add(line.substring(tab + 1));
                counts.merge(label, 1, Integer::sum);
            }
        }
        List<String> classes = select.isEmpty() ? new ArrayList<>(new TreeSet<>(counts.keySet())) : List.copyOf(select);
        for (String c : classes) {
            if (!counts.containsKey(c)) {
                throw new UnknownClassException("class '" + c + "' is not in " + file + "; its classes are "
                        + new TreeSet<>(counts.keySet()));
            }
        }
        if (classes.size() < 2) {
            throw new FormatException(file + " has " + classes.size() + " class" + (classes.size() == 1 ? "" : "es")
                    + (select.isEmpty() ? "" : " selected") + " " + classes + "; classification needs at least 2");
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        List<String> kept = new ArrayList<>();
        List<Integer> keptLabels = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Integer c = index.get(labelOf.get(i));
            if (c != null) {
                kept.add(texts.get(i));
                keptLabels.add(c);
            }
        }
        return new LabelledSentences(file, Collections.unmodifiableList(classes), Collections.unmodifiableList(kept),
                keptLabels.stream().mapToInt(Integer::intValue).toArray());
    }

    /** @return e.g. {@code 2 classes (emma 7811, persuasion 3552)}: every class with its number of sentences */
    public String describeClasses() {
        int[] n = new int[classes.size()];
        for (int l : labels) {
            n[l]++;
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d classes (", classes.size()));
        for (int i = 0; i < n.length; i++) {
            s.append(i == 0 ? "" : ", ").append(classes.get(i)).append(' ').append(n[i]);
        }
        return s.append(')').toString();
    }
}
