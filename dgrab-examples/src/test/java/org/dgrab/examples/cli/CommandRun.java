package org.dgrab.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.dgrab.examples.Main;

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

    /** @return the last line of stdout (the machine-readable summary of a command) */
    String lastLine() {
        String[] lines = out.strip().split("\\R");
        return lines[lines.length - 1];
    }
}
