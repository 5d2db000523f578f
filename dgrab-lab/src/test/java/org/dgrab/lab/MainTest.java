package org.dgrab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

/** The command line itself: the list of commands, a missing or mistyped command, the inherited version option. */
class MainTest {

    /** Result of one in-process run. */
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsCommandsAndMissingCommandFails() {
        Run help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("herding") && help.out().contains("bench"), help.out());

        Run none = run();
        assertEquals(2, none.code());
        assertTrue(none.err().contains("Missing command"), none.err());

        Run typo = run("herdin");
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("herding"), "suggests the right name: " + typo.err());
    }

    @Test
    void everyCommandButBenchInheritsTheVersionOption() {
        Run version = run("herding", "--version");
        assertEquals(0, version.code(), version.err());
        assertTrue(version.out().startsWith("dgrab "), version.out());
        assertTrue(run("demo", "-V").out().startsWith("dgrab "));
        assertEquals(version.out(), run("--version").out());
        assertTrue(Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .getSubcommands().get("bench").getCommandSpec().findOption("--version") == null,
                "bench hands -V and -h to JMH");
    }
}
