package org.dgrab.dl4j.iterator;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dgrab.core.internal.io.AtomicFiles;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Saves {@link OrderingCheckpoint}s while {@code net.fit(ordered, epochs)} runs, like DL4J's
 * {@code CheckpointListener}: every {@code k} epochs and/or every {@code k} iterations, keeping the last few files
 * {@code dgrab_checkpoint_<number>_<ModelType>.zip} in a directory. The {@code dgrab_} prefix keeps them apart from
 * DL4J's own {@code checkpoint_<number>_<ModelType>.zip}, so both listeners can share a directory; files of the old
 * name written by earlier versions of this listener (recognised by their iterator state) are still found by
 * {@link #lastCheckpoint} and counted by {@code keepLast}, DL4J's never. A checkpoint taken at the end of an epoch holds the
 * model as it is after that epoch (epoch count included) and the next epoch's orders; one taken every {@code k}
 * iterations is written when the next iteration begins, after DL4J has finished the previous one (counts and
 * constraints), so resuming from either gives bit-identical parameters and orders.
 *
 * <p>A resumed run that writes into the same directory goes on numbering after the files there, and
 * {@code keepLast} counts them: the directory never holds more than {@code keepLast} of this listener's files. Files
 * are written crash-safely ({@link OrderingCheckpoint#save}); hidden temporaries that killed runs left behind are
 * removed when the listener is built.
 *
 * <p>For one model trained on one thread ({@code fit}, {@code EarlyStoppingTrainer}); with ParallelWrapper save
 * between {@code wrapper.fit} calls with {@link OrderingCheckpoint#save}. A failed write throws, stopping the fit:
 * a run that silently stopped checkpointing would lose more than it saves.
 */
public final class OrderingCheckpointListener extends BaseTrainingListener {
    /** File name prefix of this listener's checkpoints. */
    public static final String PREFIX = "dgrab_checkpoint_";
    private static final Pattern NAME = Pattern.compile("dgrab_checkpoint_(\\d+)_\\w+\\.zip");
    /** The name before version 0.1.0 gave dgrab's files a prefix, which is also DL4J's CheckpointListener's. */
    private static final Pattern OLD_NAME = Pattern.compile("checkpoint_(\\d+)_\\w+\\.zip");

    private final File dir;
    private final OrderedIterator iterator;
    private final int everyEpochs;
    private final int everyIterations;
    private final int keepLast;
    private final Deque<File> kept = new ArrayDeque<>();
    private int number;
    private boolean due;

    private OrderingCheckpointListener(Builder b) {
        this.dir = b.dir;
        this.iterator = b.iterator;
        this.everyEpochs = b.everyEpochs;
        this.everyIterations = b.everyIterations;
        this.keepLast = b.keepLast;
        AtomicFiles.removeStaleTemporaries(dir.toPath(), n -> NAME.matcher(n).matches() || OLD_NAME.matcher(n).matches());
        // Files of an earlier run count for keepLast and the numbering, oldest first.
        List<File> earlier = checkpoints(dir);
        kept.addAll(earlier);
        this.number = earlier.isEmpty() ? 0 : number(earlier.get(earlier.size() - 1)) + 1;
    }

    /**
     * @param dir      directory for the checkpoints (created if missing)
     * @param iterator the ordered iterator the model trains on
     * @return a builder
     */
    public static Builder builder(File dir, OrderedIterator iterator) {
        return new Builder(dir, iterator);
    }

    /**
     * @param dir a checkpoint directory
     * @return this listener's checkpoint with the highest number in it (of the old name too, if it holds dgrab's
     *         iterator state), or null if there is none
     */
    public static File lastCheckpoint(File dir) {
        List<File> all = checkpoints(dir);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /**
     * @param dir a checkpoint directory
     * @return this listener's checkpoints in it, by number; of two with one number the new name comes last
     */
    private static List<File> checkpoints(File dir) {
        File[] files = dir.listFiles((d, n) -> NAME.matcher(n).matches() || OLD_NAME.matcher(n).matches());
        if (files == null) {
            return List.of();
        }
        // DL4J's CheckpointListener writes checkpoint_<n>_<Type>.zip as well: only ours hold the iterator state.
        return Arrays.stream(files)
                .filter(f -> NAME.matcher(f.getName()).matches() || OrderingCheckpoint.hasState(f))
                .sorted(Comparator.comparingInt(OrderingCheckpointListener::number)
                        .thenComparing(f -> NAME.matcher(f.getName()).matches()))
                .toList();
    }

    private static int number(File f) {
        Matcher m = NAME.matcher(f.getName());
        if (m.matches()) {
            return Integer.parseInt(m.group(1));
        }
        m = OLD_NAME.matcher(f.getName());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (everyIterations > 0 && (iteration + 1) % everyIterations == 0) {
            due = true;
        }
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        saveIfDue(model);
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        saveIfDue(model);
    }

    private void saveIfDue(Model model) {
        if (due) {
            due = false;
            write(model);
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        int completed = epochCount(model) + 1;
        if (due || everyEpochs > 0 && completed % everyEpochs == 0) {
            due = false;
            // DL4J counts the epoch only after its listeners ran; the file holds the model as it is after the epoch.
            setEpochCount(model, completed);
            try {
                write(model);
            } finally {
                setEpochCount(model, completed - 1);
            }
        }
    }

    private void write(Model model) {
        File f = new File(dir, PREFIX + number + "_" + model.getClass().getSimpleName() + ".zip");
        try {
            OrderingCheckpoint.save(f, model, iterator);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + f, e);
        }
        number++;
        kept.addLast(f);
        while (keepLast > 0 && kept.size() > keepLast) {
            File old = kept.removeFirst();
            if (!old.delete() && old.exists()) {
                throw new UncheckedIOException(new IOException("could not delete old checkpoint " + old));
            }
        }
    }

    private static int epochCount(Model m) {
        return m instanceof MultiLayerNetwork ? ((MultiLayerNetwork) m).getEpochCount()
                : ((ComputationGraph) m).getConfiguration().getEpochCount();
    }

    private static void setEpochCount(Model m, int count) {
        if (m instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) m).setEpochCount(count);
        } else {
            ((ComputationGraph) m).getConfiguration().setEpochCount(count);
        }
    }

    /** Builder of {@link OrderingCheckpointListener}; at least one of the two frequencies is required. */
    public static final class Builder {
        private final File dir;
        private final OrderedIterator iterator;
        private int everyEpochs;
        private int everyIterations;
        private int keepLast;

        private Builder(File dir, OrderedIterator iterator) {
            if (dir == null || iterator == null) {
                throw new IllegalArgumentException("a checkpoint directory and the ordered iterator are required");
            }
            this.dir = dir;
            this.iterator = iterator;
        }

        /**
         * @param k save at the end of every k-th epoch, {@code >= 1}
         * @return this
         */
        public Builder saveEveryNEpochs(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("epochs between checkpoints must be >= 1, got " + k);
            }
            this.everyEpochs = k;
            return this;
        }

        /**
         * @param k save after every k-th iteration (written when the next one begins), {@code >= 1}
         * @return this
         */
        public Builder saveEveryNIterations(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("iterations between checkpoints must be >= 1, got " + k);
            }
            this.everyIterations = k;
            return this;
        }

        /**
         * @param k keep only the k newest checkpoints of this listener in the directory, those of earlier runs
         *          included, {@code >= 1}; default all
         * @return this
         */
        public Builder keepLast(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("checkpoints to keep must be >= 1, got " + k);
            }
            this.keepLast = k;
            return this;
        }

        /** @return the listener */
        public OrderingCheckpointListener build() {
            if (everyEpochs == 0 && everyIterations == 0) {
                throw new IllegalArgumentException("say when to save: saveEveryNEpochs and/or saveEveryNIterations");
            }
            if (!dir.isDirectory() && !dir.mkdirs()) {
                throw new IllegalArgumentException("cannot create checkpoint directory " + dir);
            }
            return new OrderingCheckpointListener(this);
        }
    }
}
