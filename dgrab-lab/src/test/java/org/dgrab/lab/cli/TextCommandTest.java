package org.dgrab.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dgrab.lab.data.TestFiles;
import org.dgrab.lab.experiment.MetricsRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dgrab text} on a small generated {@code label<TAB>text} file: outputs, class selection and errors. */
class TextCommandTest {
    @TempDir
    Path tmp;

    private static CommandRun run(String... args) {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        a.add("--no-chart");
        return CommandRun.of(a);
    }

    private static List<String[]> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(MetricsRow.HEADER, lines.get(0));
        List<String[]> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            rows.add(l.split(",", -1));
        }
        return rows;
    }

    @Test
    void binaryPairOfAThreeClassFileTrainsAndReportsLikeTheOtherCommands() throws IOException {
        Path tsv = tmp.resolve("s.tsv");
        TestFiles.writeSentences(tsv, List.of("emma", "persuasion", "sanditon"), 60, 1);
        Path out = tmp.resolve("pair");
        CommandRun r = run("text", "--tsv", tsv.toString(), "--classes", "persuasion,emma", "--features", "256",
                "--workers", "4", "--batch", "2", "--epochs", "3", "--lr", "2", "--orders", "cd-grab,d-rr",
                "--seeds", "0,1", "--out", out.toString());
        assertEquals(0, r.code(), r::err);
        // 120 sentences of the pair: 24 held out, 96 trained on.
        assertTrue(r.out().contains("256 hashed word+bigram features of sentences (2 classes (persuasion 60, emma 60))"),
                r.out());
        assertTrue(r.out().contains("96 train / 24 test sentences"), r.out());
        List<String[]> rows = csv(out.resolve("metrics.csv"));
        assertEquals(2 * 2 * 4, rows.size(), "2 orderings x 2 seeds x epochs 0..3");
        for (String[] f : rows) {
            if (f[2].equals("3")) {
                double acc = Double.parseDouble(f[5]);
                assertTrue(acc >= 0.8, "each label has words of its own: accuracy " + acc + " in " + String.join(",", f));
            }
        }
        Matcher m = Pattern.compile("summary cd-grab=(\\S+) d-rr=(\\S+)").matcher(r.summaryLine());
        assertTrue(m.matches(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) < Math.log(2), "below chance: " + r.summaryLine());
        ImageCommandsTest.assertTimeToDrrFinal(rows, r.lastLine());
    }

    @Test
    void everyLabelIsAClassWithoutClassesAndBadInputIsNamed() throws IOException {
        Path tsv = tmp.resolve("s.tsv");
        TestFiles.writeSentences(tsv, List.of("c", "a", "b"), 10, 2);
        Path out = tmp.resolve("all");
        CommandRun r = run("text", "--tsv", tsv.toString(), "--features", "64", "--workers", "2", "--epochs", "1",
                "--orders", "d-rr", "--out", out.toString());
        assertEquals(0, r.code(), r::err);
        assertTrue(r.out().contains("3 classes (a 10, b 10, c 10)"), r.out());
        assertTrue(r.lastLine().matches("time-to-drr-final d-rr=[0-9.]+"), r.lastLine());

        CommandRun unknown = run("text", "--tsv", tsv.toString(), "--classes", "a,zz", "--out", tmp.resolve("x").toString());
        assertEquals(2, unknown.code(), unknown::err);
        assertTrue(unknown.err().contains("--classes") && unknown.err().contains("class 'zz' is not in")
                && unknown.err().contains("[a, b, c]"), unknown.err());
        CommandRun one = run("text", "--tsv", tsv.toString(), "--classes", "a", "--out", tmp.resolve("x").toString());
        assertEquals(2, one.code(), one::err);
        assertTrue(one.err().contains("name at least 2 labels"), one.err());
        Path bad = tmp.resolve("bad.tsv");
        Files.writeString(bad, "a\tok\nno tab here\n", StandardCharsets.UTF_8);
        CommandRun format = run("text", "--tsv", bad.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(1, format.code(), format::err);
        assertTrue(format.err().contains(bad + " line 2: no tab"), format.err());
        CommandRun missing = run("text", "--tsv", tmp.resolve("nope.tsv").toString(), "--out", tmp.resolve("x").toString());
        assertEquals(2, missing.code(), missing::err);
        assertTrue(missing.err().contains("--tsv") && missing.err().contains("no such file"), missing.err());
        assertFalse(Files.exists(tmp.resolve("x").resolve("metrics.csv")), "nothing trained, nothing written");
    }
}
