package org.dgrab.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.dgrab.lab.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dgrab COMMAND --help} for every registered command: exit code 0, a usage text, and no picocli warning.
 *
 * <p>picocli reports a description it cannot format (a bare {@code %} in it, which its {@code String.format} reads as
 * a conversion) through its tracer, which holds the {@code System.err} of the moment the class was loaded; in a test
 * JVM that is long gone. So the help texts are rendered in a fresh JVM ({@link RenderAll}), whose stderr this test
 * reads.
 */
class CommandHelpTest {

    /** Precedes each command's output on the child's stdout and stderr. */
    private static final String MARK = "=== dgrab ";

    @TempDir
    Path tmp;

    @Test
    void everyCommandsHelpRendersWithoutPicocliWarnings() throws IOException, InterruptedException {
        Path stdout = tmp.resolve("out.txt");
        Path stderr = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), RenderAll.class.getName())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the help texts took more than 2 minutes");
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> "child JVM failed; stderr:\n" + err);

        List<String> commands = commandNames();
        assertTrue(commands.size() >= 11, "registered commands: " + commands);
        for (String name : commands) {
            String section = section(out, name);
            assertTrue(section.contains("exit code 0"), () -> name + " --help: " + section);
            assertTrue(section.contains("Usage: dgrab " + name), () -> name + " --help printed no usage:\n" + section);
            // An unformatted description keeps its %n and doubled %% verbatim.
            assertFalse(section.contains("%n") || section.contains("%%"), () -> name + " --help:\n" + section);
            String warnings = section(err, name).strip();
            assertEquals("", warnings, () -> name + " --help wrote to stderr (picocli warnings?):\n" + warnings);
        }
        assertTrue(out.contains("Usage: dgrab [-hV] COMMAND"), "the top-level help: " + out);
        assertFalse(err.contains("WARN"), err);
    }

    /** @return the text after {@code MARK name} up to the next mark */
    private static String section(String text, String name) {
        int start = text.indexOf(MARK + name + "\n");
        assertTrue(start >= 0, () -> "no section for " + name + " in:\n" + text);
        start += MARK.length() + name.length() + 1;
        int end = text.indexOf(MARK, start);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    private static List<String> commandNames() {
        return new ArrayList<>(Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .getSubcommands().keySet());
    }

    /** Runs {@code --help} of the top level and of every registered command, each after a mark on both streams. */
    public static final class RenderAll {
        private RenderAll() {
        }

        /**
         * @param args ignored
         */
        public static void main(String[] args) {
            PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
            PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
            List<String> names = new ArrayList<>(List.of(""));
            names.addAll(commandNames());
            for (String name : names) {
                out.println(MARK + name);
                err.println(MARK + name);
                int code = name.isEmpty() ? Main.run(out, err, "--help") : Main.run(out, err, name, "--help");
                out.println("exit code " + code);
            }
            out.flush();
            err.flush();
        }
    }
}
