package org.dgrab.lab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.dgrab.lab.experiment.MetricsRow;
import org.dgrab.lab.experiment.MetricsSummary;
import org.dgrab.lab.report.ResultFiles;

/**
 * Keeps a training command's {@code metrics.csv} current while it runs: after every evaluated epoch the file is
 * replaced (atomically, through {@link ResultFiles}) with every row so far, so a long run that is stopped or fails
 * leaves the epochs it finished instead of nothing. The command writes the complete file once more at the end. A
 * failed write is reported once on stderr and training goes on; the final write reports its own failure. Call order:
 * {@link #add} per row, from the training thread.
 */
final class PartialMetrics {
    private final Path dir;
    private final List<String> orders;
    private final List<Long> seeds;
    private final PrintWriter err;
    private final String name;
    private final List<MetricsRow> rows = new ArrayList<>();
    private boolean failed;

    /**
     * @param dir    the command's output directory
     * @param orders ordering ids, in the order of {@code --orders} (the file's row order)
     * @param seeds  the seeds, in order
     * @param err    where a failed write is reported
     * @param name   the command, for that report
     */
    PartialMetrics(Path dir, List<String> orders, List<Long> seeds, PrintWriter err, String name) {
        this.dir = dir;
        this.orders = orders;
        this.seeds = seeds;
        this.err = err;
        this.name = name;
    }

    /** @param row an evaluated epoch (epoch 0: the initial model), written to the file at once */
    void add(MetricsRow row) {
        rows.add(row);
        if (failed) {
            return;
        }
        List<MetricsRow> sorted = MetricsSummary.sorted(rows, orders, seeds);
        ResultFiles files = new ResultFiles(dir);
        if (!files.write(TrainingRun.CSV, file -> RunReport.writeCsv(sorted, file))) {
            failed = true;
            err.println(name + ": could not update " + dir.resolve(TrainingRun.CSV) + " while training ("
                    + files.failed().get(0).describe() + "); training goes on, the file is written again at the end");
            err.flush();
        }
    }
}
