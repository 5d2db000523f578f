package org.dgrab.lab.cli;

import java.io.PrintWriter;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress display of long runs on stderr: the progressbar library's ({@code me.tongfei:progressbar}) own bar,
 * in its ASCII style, redrawn from the library's timer thread:
 * <pre>  herding  50% [==========>          ] 10/20 (0:00:12 / 0:00:12) cd-grab round 4/9</pre>
 * On a terminal the line is redrawn in place; elsewhere (a log file, a pipe, CI) carriage returns would garble
 * the output, so each redraw is a line of its own, at most one per {@link #PLAIN_INTERVAL_MILLIS}.
 *
 * <p>What the library cannot know is decided here: whether stderr (not stdout, which the library would ask JLine
 * about) is a terminal, and its width ({@link #interactiveByDefault()}, {@link #terminalColumns()}, both told by
 * the {@code ./dgrab} script); and the lines go to the command's stderr writer, which tests replace, through the
 * library's {@link DelegatingProgressBarConsumer}.
 *
 * <p>Call order: construct, then {@link #step} or {@link #set} from any one thread, then {@link #close()} (which
 * draws the last state); updates after closing fail.
 */
public final class Progress implements AutoCloseable {

    /** Minimum time between two plain lines, so that logs stay short however many steps there are. */
    public static final int PLAIN_INTERVAL_MILLIS = 1000;
    /** Minimum time between two redraws of the bar; faster redraws only cost terminal bandwidth. */
    private static final int REDRAW_INTERVAL_MILLIS = 100;
    /**
     * Width of plain lines: no terminal cuts them, and the library's renderer gives the bar what the label, numbers
     * and detail leave of it, so a narrow width would squeeze the bar to nothing and cut the detail.
     */
    private static final int PLAIN_WIDTH = 160;

    private final ProgressBar bar;
    private final PrintWriter err;
    private final boolean interactive;
    private final String label;
    /** The last line drawn, so that a plain log gets the final state once (the library draws it again on close). */
    private String last;
    private boolean closed;

    /**
     * @param err         where to draw (normally the command's stderr)
     * @param label       what is being done, shown first on every update
     * @param total       number of steps, {@code >= 1}
     * @param interactive true to redraw one line in place, false for plain lines
     */
    public Progress(PrintWriter err, String label, long total, boolean interactive) {
        this(err, label, total, interactive, terminalColumns());
    }

    /**
     * @param err         where to draw
     * @param label       label
     * @param total       number of steps, {@code >= 1}
     * @param interactive bar or plain lines
     * @param columns     terminal width, for a bar; the library fits its lines into one column less
     */
    Progress(PrintWriter err, String label, long total, boolean interactive, int columns) {
        if (err == null || label == null) {
            throw new IllegalArgumentException("writer and label are required");
        }
        if (total < 1) {
            throw new IllegalArgumentException("progress total must be >= 1, got " + total);
        }
        this.err = err;
        this.interactive = interactive;
        this.label = label;
        this.bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(interactive ? REDRAW_INTERVAL_MILLIS : PLAIN_INTERVAL_MILLIS)
                .setConsumer(new DelegatingProgressBarConsumer(this::draw,
                        interactive ? Math.max(20, columns) - 1 : PLAIN_WIDTH)).build();
    }

    /** Called from the library's timer thread with a line that fits the width. */
    private synchronized void draw(String line) {
        if (interactive) {
            err.print('\r' + line);
        } else if (!line.equals(last)) {
            err.println(line);
        }
        last = line;
        err.flush();
    }

    /**
     * Whether progress should be drawn as a bar: {@code DGRAB_PROGRESS=bar} or {@code plain} decide if set;
     * otherwise a bar exactly when stderr is a terminal. Java cannot see that directly, so the {@code ./dgrab}
     * script tells it through {@code DGRAB_STDERR_TTY=0|1}; without that variable (e.g. {@code java -cp ... Main})
     * a console ({@code System.console() != null}: stdin and stdout are terminals) stands in for it.
     *
     * @return true for a bar, false for plain lines
     */
    public static boolean interactiveByDefault() {
        String mode = System.getenv("DGRAB_PROGRESS");
        if (mode != null && (mode.equalsIgnoreCase("bar") || mode.equalsIgnoreCase("plain"))) {
            return mode.equalsIgnoreCase("bar");
        }
        String tty = System.getenv("DGRAB_STDERR_TTY");
        return tty != null ? tty.equals("1") : System.console() != null;
    }

    /**
     * Width of the terminal: {@code DGRAB_COLUMNS} (set by the {@code ./dgrab} script from stderr's terminal) or
     * {@code COLUMNS}, else 80.
     *
     * @return columns, at least 20
     */
    static int terminalColumns() {
        for (String name : new String[] {"DGRAB_COLUMNS", "COLUMNS"}) {
            String v = System.getenv(name);
            if (v != null && v.trim().matches("\\d{1,6}")) {
                return Math.max(20, Integer.parseInt(v.trim()));
            }
        }
        return 80;
    }

    /** @return steps done so far */
    public long done() {
        return bar.getCurrent();
    }

    /**
     * Advances by one step.
     *
     * @param what what was just done (or is being done now), shown after the numbers; may be empty
     */
    public void step(String what) {
        set(done() + 1, what);
    }

    /**
     * Sets the number of steps done.
     *
     * @param steps steps done, clamped to {@code [0, total]}
     * @param what  what was just done, shown after the numbers; may be empty
     */
    public void set(long steps, String what) {
        if (closed) {
            throw new IllegalStateException("progress '" + label + "' is closed");
        }
        bar.setExtraMessage(what == null ? "" : what);
        bar.stepTo(Math.max(0, Math.min(bar.getMax(), steps)));
    }

    /** Draws the last state and, for a bar, ends its line. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            bar.close();
            if (interactive) {
                synchronized (this) {
                    err.println();
                    err.flush();
                }
            }
        }
    }
}
