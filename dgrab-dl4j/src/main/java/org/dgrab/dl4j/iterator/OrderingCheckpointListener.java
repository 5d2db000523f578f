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
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Saves {@link OrderingCheckpoint}s while {@code net.fit(ordered, epochs)} runs, like DL4J's
 * {@code CheckpointListener}: every {@code k} epochs and/or every {@code k} iterations, keeping the last few files
 * {@code checkpoint_<number>_<ModelType>.zip} in a directory. A checkpoint taken at the end of an epoch holds the
 * model as it is after that epoch (epoch count included) and the next epoch's orders; one taken every {@code k}
 * iterations is written when the next iteration begins, after DL4J has finished the previous one (counts and
 * constraints), so resuming from either gives bit-identical parameters and orders.
 *
 * <p>For one model trained on one thread ({@code fit}, {@code EarlyStoppingTrainer}); with ParallelWrapper save
 * between {@code wrapper.fit} calls with {@link OrderingCheckpoint#save}. A failed write throws, stopping the fit:
 * a run that silently stopped checkpointing would lose more than it saves.
 */
public final class OrderingCheckpointListener extends BaseTrainingListener {
    private static final Pattern NAME = Pattern.compile("checkpoint_(\\d+)_\\w+\\.zip");

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
        File last = lastCheckpoint(dir);
        this.number = last == null ? 0 : number(last) + 1;
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
     * @return the checkpoint with the highest number in it, or null if there is none
     */
    public static File lastCheckpoint(File dir) {
        File[] files = dir.listFiles((d, n) -> NAME.matcher(n).matches());
        if (files == null || files.length == 0) {
            return null;
        }
        return Arrays.stream(files).max(Comparator.comparingInt(OrderingCheckpointListener::number)).get();
    }

    private static int number(File f) {
        Matcher m = NAME.matcher(f.getName());
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
        File f = new File(dir, "checkpoint_" + number + "_" + model.getClass().getSimpleName() + ".zip");
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
         * @param k keep only the k newest checkpoints written by this listener, {@code >= 1}; default all
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
