package org.dgrab.examples.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A text progress display for long runs. On a terminal it redraws one line in place:
 * <pre>  herding [##########..........]  50%  10/20  cd-grab round 4/9  0:12 elapsed, ~0:12 left</pre>
 * Elsewhere (a log file, a pipe, CI) carriage returns would garble the output, so it prints plain lines instead,
 * at most one per {@link #PLAIN_INTERVAL_NANOS} plus the first and the last update.
 *
 * <p>Usage: {@code try (ProgressBar p = new ProgressBar(err, "herding", n, ProgressBar.interactiveByDefault()))
 * { ... p.step("detail"); ... }}. Not thread-safe; update it from one thread.
 */
public final class ProgressBar implements AutoCloseable {

    /** Minimum time between two plain lines, so that logs stay short however many steps there are. */
    public static final long PLAIN_INTERVAL_NANOS = 1_000_000_000L;
    /** Minimum time between two redraws of the bar; faster redraws only cost terminal bandwidth. */
    private static final long REDRAW_INTERVAL_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final boolean interactive;
    private final LongSupplier clock;
    private final long start;
    private final int columns;

    private long done;
    private long lastPrint = Long.MIN_VALUE;
    private int lastWidth;
    private boolean pending;
    private String detail = "";
    private boolean closed;

    /**
     * @param err         where to draw (normally stderr)
     * @param label       what is being done, shown first on every update
     * @param total       number of steps, {@code >= 1}
     * @param interactive true to redraw one line in place, false for plain lines
     */
    public ProgressBar(PrintWriter err, String label, long total, boolean interactive) {
        this(err, label, total, interactive, System::nanoTime, terminalColumns());
    }

    /**
     * @param err         where to draw
     * @param label       label
     * @param total       number of steps, {@code >= 1}
     * @param interactive bar or plain lines
     * @param clock       nanosecond clock (tests pass a fake one)
     * @param columns     terminal width; bar lines are cut to fit
     */
    ProgressBar(PrintWriter err, String label, long total, boolean interactive, LongSupplier clock, int columns) {
        if (err == null || label == null || clock == null) {
            throw new IllegalArgumentException("writer, label and clock are required");
        }
        if (total < 1) {
            throw new IllegalArgumentException("progress total must be >= 1, got " + total);
        }
        this.err = err;
        this.label = label;
        this.total = total;
        this.interactive = interactive;
        this.clock = clock;
        this.columns = Math.max(20, columns);
        this.start = clock.getAsLong();
    }

    /**
     * Whether progress should be drawn as a bar: {@code DGRAB_PROGRESS=bar} or {@code plain} decide if set; a
     * {@code CI} variable or {@code TERM=dumb} mean plain lines; otherwise a bar exactly when stderr is a terminal.
     * Java cannot see that directly, so the {@code ./dgrab} script tells it through {@code DGRAB_STDERR_TTY=0|1};
     * without that variable (e.g. {@code java -cp ... Main}) a console ({@code System.console() != null}: stdin
     * and stdout are terminals) stands in for it.
     *
     * @return true for a bar, false for plain lines
     */
    public static boolean interactiveByDefault() {
        String mode = System.getenv("DGRAB_PROGRESS");
        if ("bar".equalsIgnoreCase(mode)) {
            return true;
        }
        if ("plain".equalsIgnoreCase(mode)) {
            return false;
        }
        String ci = System.getenv("CI");
        if (ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false")) {
            return false;
        }
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        String tty = System.getenv("DGRAB_STDERR_TTY");
        if (tty != null) {
            return tty.equals("1");
        }
        return System.console() != null;
    }

    /**
     * Width of the terminal: {@code DGRAB_COLUMNS} (set by the {@code ./dgrab} script) or {@code COLUMNS}, else 80.
     *
     * @return columns, at least 20
     */
    static int terminalColumns() {
        for (String name : new String[] {"DGRAB_COLUMNS", "COLUMNS"}) {
            String v = System.getenv(name);
            if (v != null) {
                try {
                    return Math.max(20, Integer.parseInt(v.trim()));
                } catch (NumberFormatException e) {
                    // not a number: try the next source
                }
            }
        }
        return 80;
    }

    /** @return true if this display redraws a bar in place */
    public boolean isInteractive() {
        return interactive;
    }

    /** @return steps done so far */
    public long done() {
        return done;
    }

    /**
     * Advances by one step.
     *
     * @param what what was just done (or is being done now), shown after the numbers; may be empty
     */
    public void step(String what) {
        set(done + 1, what);
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
        done = Math.max(0, Math.min(total, steps));
        detail = what == null ? "" : what;
        long now = clock.getAsLong();
        long interval = interactive ? REDRAW_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS;
        boolean first = lastPrint == Long.MIN_VALUE;
        if (first || done == total || now - lastPrint >= interval) {
            print(now);
        } else {
            pending = true;
        }
    }

    private void print(long now) {
        String line = render(now);
        if (interactive) {
            // A line longer than the terminal wraps, and \r then only rewrites the last part: cut it instead.
            if (line.length() > columns - 1) {
                line = line.substring(0, Math.max(1, columns - 1));
            }
            // Pad with spaces so that a shorter line fully covers the previous one.
            int pad = Math.max(0, lastWidth - line.length());
            err.print("\r" + line + " ".repeat(pad));
            lastWidth = line.length();
        } else {
            err.println(line);
        }
        err.flush();
        lastPrint = now;
        pending = false;
    }

    /** @return the current line, without carriage return or newline */
    String render(long now) {
        StringBuilder s = new StringBuilder(label).append(' ');
        if (interactive) {
            int filled = (int) (BAR_WIDTH * done / total);
            s.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
        }
        long pct = 100 * done / total;
        s.append(String.format(Locale.ROOT, "%3d%%  %d/%d", pct, done, total));
        if (!detail.isEmpty()) {
            s.append("  ").append(detail);
        }
        long elapsed = now - start;
        s.append("  ").append(duration(elapsed)).append(" elapsed");
        if (done > 0 && done < total) {
            long left = (long) ((double) elapsed / done * (total - done));
            s.append(", ~").append(duration(left)).append(" left");
        }
        return s.toString();
    }

    /**
     * Formats a duration as {@code m:ss} or {@code h:mm:ss}.
     *
     * @param nanos duration in nanoseconds
     * @return the text
     */
    static String duration(long nanos) {
        long secs = Math.max(0, nanos / 1_000_000_000L);
        long h = secs / 3600;
        long m = secs / 60 % 60;
        long sec = secs % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    /** Prints the last state if it was held back, and ends the bar's line. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (pending) {
            print(clock.getAsLong());
        }
        if (interactive && lastPrint != Long.MIN_VALUE) {
            err.println();
            err.flush();
        }
        closed = true;
    }
}
