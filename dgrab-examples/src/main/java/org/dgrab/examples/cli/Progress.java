package org.dgrab.examples.cli;

import java.io.PrintWriter;
import java.util.Locale;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressState;

/**
 * The progress display of long runs on stderr, drawn by the progressbar library ({@code me.tongfei:progressbar}),
 * which keeps the state and redraws from a timer thread. On a terminal it redraws one line in place:
 * <pre>  herding [##########..........]  50%  10/20  cd-grab round 4/9  0:12 elapsed, ~0:12 left</pre>
 * Elsewhere (a log file, a pipe, CI) carriage returns would garble the output, so it prints plain lines instead,
 * at most one per {@link #PLAIN_INTERVAL_MILLIS} (and only when a step was made), plus the first and the last.
 *
 * <p>What the library cannot know is kept here: whether stderr is a terminal ({@link #interactiveByDefault()}),
 * its width, and the command's stderr writer (tests replace it; the library writes to a {@code PrintStream}).
 *
 * <p>Call order: construct, then {@link #step} or {@link #set} from any one thread, then {@link #close()} (which
 * draws the last state); updates after closing fail.
 */
public final class Progress implements AutoCloseable {

    /** Minimum time between two plain lines, so that logs stay short however many steps there are. */
    public static final int PLAIN_INTERVAL_MILLIS = 1000;
    /** Minimum time between two redraws of the bar; faster redraws only cost terminal bandwidth. */
    private static final int REDRAW_INTERVAL_MILLIS = 100;
    private static final int BAR_WIDTH = 24;

    private final ProgressBar bar;
    private final WriterConsumer consumer;
    private final String label;
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
     * @param columns     terminal width; bar lines are cut to fit
     */
    Progress(PrintWriter err, String label, long total, boolean interactive, int columns) {
        if (err == null || label == null) {
            throw new IllegalArgumentException("writer and label are required");
        }
        if (total < 1) {
            throw new IllegalArgumentException("progress total must be >= 1, got " + total);
        }
        this.label = label;
        this.consumer = new WriterConsumer(err, interactive, Math.max(20, columns));
        this.bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(total)
                .setUpdateIntervalMillis(interactive ? REDRAW_INTERVAL_MILLIS : PLAIN_INTERVAL_MILLIS)
                .setRenderer((state, maxLength) -> render(state, interactive))
                .setConsumer(consumer)
                .build();
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
     * The library would ask JLine, which sees stdout, not the stderr the bar is drawn on.
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

    /** Draws the last state and ends the bar's line. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            bar.close();
            // The library skips closing its consumer when the bar is closed before its timer first ran.
            consumer.close();
        }
    }

    private static String render(ProgressState s, boolean interactive) {
        return line(s.getTaskName(), s.getCurrent(), s.getMax(), s.getExtraMessage(), s.getTotalElapsed().toNanos(),
                interactive);
    }

    /**
     * One progress line, without carriage return or newline.
     *
     * @param label       label
     * @param done        steps done
     * @param total       steps in all, {@code >= 1}
     * @param detail      what is being done; may be empty
     * @param elapsed     nanoseconds since the start
     * @param interactive with the bar ({@code [###...]}) or without
     * @return the line
     */
    static String line(String label, long done, long total, String detail, long elapsed, boolean interactive) {
        StringBuilder s = new StringBuilder(label).append(' ');
        if (interactive) {
            int filled = (int) (BAR_WIDTH * done / total);
            s.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
        }
        s.append(String.format(Locale.ROOT, "%3d%%  %d/%d", 100 * done / total, done, total));
        if (!detail.isEmpty()) {
            s.append("  ").append(detail);
        }
        s.append("  ").append(duration(elapsed)).append(" elapsed");
        if (done > 0 && done < total) {
            s.append(", ~").append(duration((long) ((double) elapsed / done * (total - done)))).append(" left");
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

    /**
     * Writes the library's rendered lines to a {@link PrintWriter}: in place with a carriage return and cut to the
     * terminal width for a bar, one line each otherwise. Called from the library's timer thread.
     */
    static final class WriterConsumer implements ProgressBarConsumer {
        private final PrintWriter err;
        private final boolean interactive;
        private final int columns;
        private int lastWidth = -1;
        private String last;
        private boolean closed;

        WriterConsumer(PrintWriter err, boolean interactive, int columns) {
            this.err = err;
            this.interactive = interactive;
            this.columns = columns;
        }

        @Override
        public int getMaxRenderedLength() {
            return columns - 1;
        }

        @Override
        public synchronized void accept(String rendered) {
            if (interactive) {
                // A line longer than the terminal wraps, and \r then only rewrites the last part: cut it instead.
                String line = rendered.length() > columns - 1 ? rendered.substring(0, columns - 1) : rendered;
                // Pad with spaces so that a shorter line fully covers the previous one.
                err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
                lastWidth = line.length();
            } else if (!rendered.equals(last)) {
                // The library draws the final state once more on close; a log needs it once.
                err.println(rendered);
            }
            last = rendered;
            err.flush();
        }

        @Override
        public void clear() {
            // Never called: the bar stays on screen when done (no clearDisplayOnFinish).
        }

        @Override
        public synchronized void close() {
            if (!closed && interactive && lastWidth >= 0) {
                err.println();
                err.flush();
            }
            closed = true;
        }
    }
}
