package org.dgrab.spark;

/**
 * The messages of {@link SparkOrderedTrainer} about an aborted epoch: where it stopped, what failed (the first line
 * of Spark's failure and of the cause that adds something), and which checkpoint to restore. Stateless.
 */
final class AbortMessages {
    private AbortMessages() {
    }

    /**
     * @param e                  the failure
     * @param epoch              the epoch that stopped
     * @param from               first step of the failed window
     * @param to                 end of the failed window (exclusive)
     * @param steps              steps of the epoch; {@code from == steps} means the failure came at its end
     * @param averagingFrequency steps per window
     * @param lastSavedEpoch     the epoch of the trainer's last checkpoint, -1 if none
     * @return the message of the {@link SparkEpochAbortedException}
     */
    static String stopped(Throwable e, int epoch, int from, int to, int steps, int averagingFrequency,
                          int lastSavedEpoch) {
        String where = from < steps
                ? "epoch " + epoch + ", window of steps [" + from + ", " + to + ") of " + steps + " (job "
                        + (from / averagingFrequency + 1) + " of the epoch)"
                : "epoch " + epoch + ", at its end (after all " + steps + " steps, computing the next orders)";
        return "Spark training stopped in " + where + ": " + describe(e) + ". The model now holds "
                + "parameters from the middle of epoch " + epoch + ", which no order or checkpoint describes, so this "
                + "trainer refuses fit, fitEpoch and save until a checkpoint is restored: " + restoreHint(lastSavedEpoch);
    }

    /**
     * @param call           the refused call
     * @param aborted        the aborted epoch
     * @param lastSavedEpoch the epoch of the trainer's last checkpoint, -1 if none
     * @return the message refusing the call
     */
    static String refused(String call, SparkEpochAbortedException aborted, int lastSavedEpoch) {
        return call + " refused, no Spark job was run: epoch " + aborted.epoch()
                + " stopped at the window of steps [" + aborted.fromStep() + ", " + aborted.toStep() + ") after "
                + describe(aborted.getCause()) + ", leaving the model in a partial epoch. To go on, "
                + restoreHint(lastSavedEpoch) + ".";
    }

    /** @return what to call after an aborted epoch, with the epoch of the trainer's last checkpoint if it wrote one */
    private static String restoreHint(int lastSavedEpoch) {
        return "call SparkOrderedTrainer.restore(InputStream) with the last checkpoint that save(OutputStream) wrote "
                + "between epochs" + (lastSavedEpoch >= 0
                ? " (this trainer's last one, written or restored, is at the start of epoch "
                        + lastSavedEpoch + ")"
                : " (this trainer wrote none: use one written earlier, or build a new trainer with a fresh model)");
    }

    /**
     * @param e a failure, typically Spark's "Job aborted due to stage failure: ..." whose message goes on with the
     *          task's exception and stack trace
     * @return its first line, and the first line of the outermost cause that this line does not already quote
     *         (e.g. dgrab's "exported DataSet file X cannot be read as a DataSet" under DL4J's "Error loading
     *         DataSet at path X")
     */
    static String describe(Throwable e) {
        String top = firstLine(e.toString());
        // Spark's first line quotes the task's exception, whose own causes it does not show: name the first cause
        // (from the outside in) that adds something. The outermost such cause has the most context; the root is
        // often bare (an EOFException without a message).
        Throwable c = e.getCause();
        for (int depth = 0; c != null && depth < 100; depth++, c = c.getCause() == c ? null : c.getCause()) {
            String line = firstLine(c.toString());
            String message = c.getMessage() == null ? line : firstLine(c.getMessage());
            if (!top.contains(message)) {
                return top + " (cause: " + line + ")";
            }
        }
        return top;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
