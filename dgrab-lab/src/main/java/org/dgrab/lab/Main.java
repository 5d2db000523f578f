package org.dgrab.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.dgrab.lab.cli.BenchCommand;
import org.dgrab.lab.cli.Cifar10Command;
import org.dgrab.lab.cli.DemoCommand;
import org.dgrab.lab.cli.DropInCommand;
import org.dgrab.lab.cli.FashionMnistCommand;
import org.dgrab.lab.cli.HerdingCommand;
import org.dgrab.lab.cli.LanguageModelCommand;
import org.dgrab.lab.cli.LogisticRegressionCommand;
import org.dgrab.lab.cli.MakeImagesCommand;
import org.dgrab.lab.cli.MakeSampleCommand;
import org.dgrab.lab.cli.ParallelWrapperCommand;
import org.dgrab.lab.cli.SparkCommand;
import org.dgrab.lab.cli.TextCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code ./dgrab} command line: one picocli subcommand per experiment or tool.
 *
 * <p>Exit codes: 0 on success, 1 when a command fails while running (I/O error, bad state), 2 for invalid
 * options (the message names the option, the value and the valid range). Results go to stdout, progress and
 * diagnostics to stderr, so that scripts can read a command's last stdout line.
 *
 * <p>To add a command, write a class extending {@link org.dgrab.lab.cli.DgrabCommand} in
 * {@code org.dgrab.lab.cli}, sharing options through mixins, and list it in {@code subcommands} below; it
 * inherits {@code --help} and {@code --version}.
 */
@Command(name = "dgrab",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        // Every subcommand inherits --help, --version and the version provider: the version is declared here only.
        scope = CommandLine.ScopeType.INHERIT,
        synopsisSubcommandLabel = "COMMAND",
        description = {
                "Gradient-balanced data ordering (GraB, PairBalance, CD-GraB) for Deeplearning4j: experiments and tools.",
                ""},
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = {
                "Run 'dgrab COMMAND --help' for the options of a command.",
                "Exit codes: 0 success, 1 failure while running, 2 invalid options.",
                "Environment:",
                "  JAVA_OPTS       JVM options, e.g. -Xmx8g",
                "  DGRAB_MVN_ARGS  extra Maven arguments of the build, e.g. -Pcuda",
                "  DGRAB_PROGRESS  bar or plain: how progress is shown on stderr",
                "  DGRAB_DEBUG     1: print stack traces of errors",
                "  OMP_NUM_THREADS libnd4j's OpenMP threads; ./dgrab sets it from --threads (default 1)"},
        subcommands = {
                DemoCommand.class,
                HerdingCommand.class,
                Cifar10Command.class,
                FashionMnistCommand.class,
                LanguageModelCommand.class,
                LogisticRegressionCommand.class,
                TextCommand.class,
                MakeSampleCommand.class,
                MakeImagesCommand.class,
                ParallelWrapperCommand.class,
                DropInCommand.class,
                SparkCommand.class,
                BenchCommand.class,
                org.dgrab.lab.cli.CostCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** Used by picocli; run commands through {@link #run(PrintWriter, PrintWriter, String...)}. */
    public Main() {
    }

    /**
     * Runs a command and exits the JVM with its exit code.
     *
     * @param args command line, e.g. {@code herding --workers 8 --per-worker 20000}
     */
    public static void main(String[] args) {
        debugLogging();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * With {@code DGRAB_DEBUG} set, raises slf4j-simple's default level to INFO (the trainers' per-epoch lines, ND4J's
     * backend details), unless the user chose a level ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=...} in
     * {@code JAVA_OPTS}). Otherwise {@code simplelogger.properties} keeps library logging to warnings, which would
     * only interleave with the progress bar on stderr. Must run before the first logger is created.
     */
    private static void debugLogging() {
        String key = "org.slf4j.simpleLogger.defaultLogLevel";
        String debug = System.getenv("DGRAB_DEBUG");
        if (debug != null && !debug.isEmpty() && !debug.equals("0") && System.getProperty(key) == null) {
            System.setProperty(key, "info");
        }
    }

    /**
     * Runs a command in-process without exiting, for tests and for embedding.
     *
     * @param out  receives results (tables, the summary line)
     * @param err  receives progress, warnings and error messages
     * @param args command line
     * @return the exit code: 0 success, 1 failure while running, 2 invalid options
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Builds the configured command line (handlers, writers, the pass-through parsing of {@code bench}).
     *
     * @param out stdout writer
     * @param err stderr writer
     * @return the command line, ready to {@link CommandLine#execute(String...)}
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(new ParameterErrors());
        cl.setExecutionExceptionHandler(new ExecutionErrors());
        // JMH parses its own options (-f 1, -wi 3, -p dim=16, ...): give bench every argument verbatim instead of
        // letting picocli reject options it does not know.
        CommandLine bench = cl.getSubcommands().get(BenchCommand.NAME);
        bench.setUnmatchedOptionsArePositionalParams(true).setStopAtPositional(true);
        // ... including -h and -V, which it would otherwise inherit from dgrab.
        bench.getCommandSpec().mixinStandardHelpOptions(false);
        return cl;
    }

    /**
     * Runs when no command was given: that is an invalid command line, answered with the usage.
     *
     * @return never returns normally
     * @throws ParameterException always
     */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command; choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** Prints the short error for invalid options, with a pointer to the help, instead of the whole usage. */
    private static final class ParameterErrors implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cl = ex.getCommandLine();
            PrintWriter err = cl.getErr();
            String name = cl.getCommandSpec().qualifiedName();
            err.println(name + ": " + ex.getMessage());
            UnmatchedArgumentException.printSuggestions(ex, err);
            if (args.length == 0) {
                // A bare `dgrab`: the list of commands is the most useful answer.
                cl.usage(err);
            } else {
                err.println("Try '" + name + " --help' for more information.");
            }
            err.flush();
            return cl.getCommandSpec().exitCodeOnInvalidInput();
        }
    }

    /** Turns an exception from a running command into one readable line (stack trace with DGRAB_DEBUG=1). */
    private static final class ExecutionErrors implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
            PrintWriter err = cl.getErr();
            StringBuilder msg = new StringBuilder(cl.getCommandSpec().qualifiedName()).append(": error: ")
                    .append(describe(ex));
            // The causes often carry the useful part (which file, which native library).
            for (Throwable c = ex.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                msg.append("\n  caused by: ").append(describe(c));
            }
            err.println(msg);
            if (debug()) {
                ex.printStackTrace(err);
            } else {
                err.println("(set DGRAB_DEBUG=1 for the stack trace)");
            }
            err.flush();
            return cl.getCommandSpec().exitCodeOnExecutionException();
        }

        private static String describe(Throwable t) {
            String m = t.getMessage();
            return m == null || m.isBlank() ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + m;
        }

        private static boolean debug() {
            String d = System.getenv("DGRAB_DEBUG");
            return d != null && !d.isEmpty() && !d.equals("0");
        }
    }

    /**
     * Prints the project version (written into {@code version.properties} by Maven at build time) and the JVM;
     * every subcommand but {@code bench} inherits it with {@code --version}.
     */
    public static final class VersionProvider implements IVersionProvider {
        /** Used by picocli. */
        public VersionProvider() {
        }

        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {
                    "dgrab " + p.getProperty("version", "(unknown version)"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
