package org.dgrab.lab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.dgrab.lab.Main;

/**
 * One in-process run of the command line through {@link Main#run}, for the command tests: exit code and what the
 * command printed on stdout and stderr.
 *
 * @param code exit code
 * @param out  stdout
 * @param err  stderr
 */
record CommandRun(int code, String out, String err) {

    /**
     * @param args the command line
     * @return the finished run
     */
    static CommandRun of(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(new String[0]));
        return new CommandRun(code, out.toString(), err.toString());
    }

    /**
     * @param firstWord the line's first word, e.g. {@code summary}
     * @return the last stdout line that starts with that word and a space
     * @throws AssertionError if there is none
     */
    String line(String firstWord) {
        String[] lines = out.strip().split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith(firstWord + " ")) {
                return lines[i];
            }
        }
        throw new AssertionError("no stdout line starts with '" + firstWord + " ':\n" + out);
    }

    /** @return the training commands' {@code summary} line (followed by {@code time-to-drr-final} when d-rr ran) */
    String summaryLine() {
        return line("summary");
    }

    /** @return the last line of stdout (the machine-readable summary of a command) */
    String lastLine() {
        String[] lines = out.strip().split("\\R");
        return lines[lines.length - 1];
    }
}
