package org.dgrab.dl4j.internal.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the batches of a source per column (inputs, outputs, their masks) for an {@link ExampleStore}, checking
 * as it goes that every batch has the first one's array counts, example shapes and masks, and naming the batch and
 * column that differ. Call order: {@link #add} per batch in source order, then {@link #build} once.
 */
final class ExampleColumns {
    private static final Logger LOG = LoggerFactory.getLogger(ExampleStore.class);

    private static final String[] KIND = {"features", "labels", "feature mask", "label mask"};
    private static final String[] ROW = {"feature", "label", "feature mask", "label mask"};
    final int inputs;
    final int outputs;
    final boolean multi;
    /** [kind][column]: features, labels, feature masks, label masks. */
    final ExampleColumn[][] arrays = new ExampleColumn[4][];
    /** Padding seen at the start of masks (sequences aligned at their end) and at their end (aligned at the start). */
    private boolean paddedAtStart;
    private boolean paddedAtEnd;
    final long[][][] shapes = new long[4][][];
    final List<Integer> starts = new ArrayList<>();
    private final String source;
    int total;

    /**
     * @param inputs  feature arrays per batch
     * @param outputs label arrays per batch
     * @param multi   true for MultiDataSets (messages name the array)
     * @param source  what is read, for messages
     */
    ExampleColumns(int inputs, int outputs, boolean multi, String source) {
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("every batch needs at least one feature and one label array, got "
                    + inputs + " and " + outputs);
        }
        this.inputs = inputs;
        this.outputs = outputs;
        this.multi = multi;
        this.source = source;
        int[] widths = {inputs, outputs, inputs, outputs};
        for (int k = 0; k < 4; k++) {
            shapes[k] = new long[widths[k]][];
            arrays[k] = new ExampleColumn[widths[k]];
        }
    }

    private String name(int kind, int column) {
        return multi ? KIND[kind] + " " + column : KIND[kind];
    }

    void add(int b, INDArray[] f, INDArray[] l, INDArray[] fm, INDArray[] lm) {
        if (f == null || l == null || f.length != inputs || l.length != outputs) {
            if (f == null || l == null) {
                throw new IllegalArgumentException("batch " + b + " has no " + (f == null ? "features" : "labels")
                        + "; dgrab needs labelled data");
            }
            throw new IllegalArgumentException("batch " + b + " has " + f.length + " feature and " + l.length
                    + " label arrays; batch 0 had " + inputs + " and " + outputs);
        }
        INDArray[][] byKind = {f, l, padded(fm, inputs), padded(lm, outputs)};
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < byKind[k].length; i++) {
                if (byKind[k][i] == null) {
                    throw new IllegalArgumentException("batch " + b + " has no " + name(k, i) + "; dgrab needs labelled data");
                }
            }
        }
        long n = f[0].size(0);
        if (n == 0) {
            throw new IllegalArgumentException("batch " + b + " is empty");
        }
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < byKind[k].length; i++) {
                INDArray a = byKind[k][i];
                if (a != null && a.size(0) != n) {
                    throw new IllegalArgumentException("batch " + b + " has " + n + " feature rows but " + a.size(0) + " "
                            + (multi ? ROW[k] + " " + i : ROW[k]) + " rows");
                }
            }
        }
        boolean first = starts.isEmpty();
        long needed = 0;
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < byKind[k].length; i++) {
                INDArray a = byKind[k][i];
                long[] shape = a == null ? null : Arrays.copyOfRange(a.shape(), 1, a.rank());
                if (first) {
                    shapes[k][i] = shape;
                } else if (k >= 2 && (shapes[k][i] == null) != (shape == null) && !timed()) {
                    throw new IllegalArgumentException("batch " + b + " has different mask arrays than batch 0"
                            + (multi ? " (" + name(k, i) + ")" : ""));
                } else if (k < 2 && !Arrays.equals(shapes[k][i], shape) && !sameButTime(shapes[k][i], shape)) {
                    throw new IllegalArgumentException(shapeMismatch(b, byKind));
                }
                if (a != null) {
                    needed += arrays[k][i] == null ? RowChunks.bytesToStart(a.dataType(), a.length() / n, n)
                            : arrays[k][i].bytesToAppend(n, shape);
                }
            }
        }
        MemoryBudget.check(needed, total, bytesSoFar(), source);
        try {
            for (int k = 0; k < 4; k++) {
                for (int i = 0; i < byKind[k].length; i++) {
                    INDArray a = byKind[k][i];
                    if (a == null) {
                        if (arrays[k][i] != null) {
                            arrays[k][i].appendAbsent(n);
                        }
                        continue;
                    }
                    if (arrays[k][i] == null) {
                        arrays[k][i] = new ExampleColumn(a.dataType(), Arrays.copyOfRange(a.shape(), 1, a.rank()),
                                k >= 2 || a.rank() == 3);
                        if (total > 0) {
                            arrays[k][i].appendAbsent(total);
                        }
                    }
                    if (k >= 2) {
                        notePadding(a);
                    }
                    arrays[k][i].append(a);
                }
            }
        } catch (OutOfMemoryError e) {
            throw MemoryBudget.exhausted(needed, total, bytesSoFar(), source, e);
        }
        if (paddedAtStart && paddedAtEnd) {
            throw new IllegalArgumentException("batch " + b + ": the masks pad some sequences at their start and others "
                    + "at their end; dgrab pads examples of different lengths as the source does, so it needs one alignment");
        }
        starts.add(total);
        total = Math.addExact(total, (int) n);
    }

    /** @return true if the features are time series (their example shapes have a time dimension) */
    private boolean timed() {
        return shapes[0][0] != null && shapes[0][0].length == 2;
    }

    /** Time series ({@code [features, steps]} per example, DL4J's NCW) of different lengths. */
    private static boolean sameButTime(long[] a, long[] b) {
        return a != null && b != null && a.length == 2 && b.length == 2 && a[0] == b[0];
    }

    /** Records where a mask pads: zeros before its ones (aligned at the end) or after them (aligned at the start). */
    private void notePadding(INDArray mask) {
        if (mask.rank() != 2 || mask.size(1) < 2) {
            return;
        }
        float[] firstStep = mask.getColumn(0).toFloatVector();
        float[] lastStep = mask.getColumn(mask.size(1) - 1).toFloatVector();
        for (int r = 0; r < firstStep.length; r++) {
            paddedAtStart |= firstStep[r] == 0 && lastStep[r] != 0;
            paddedAtEnd |= firstStep[r] != 0 && lastStep[r] == 0;
        }
    }

    /** @return true if sequences are aligned at their end (padded at the start), as seen in the masks */
    boolean alignEnd() {
        return paddedAtStart;
    }

    private String shapeMismatch(int b, INDArray[][] byKind) {
        if (!multi) {
            return "batch " + b + " has example shape features " + Arrays.toString(exampleShape(byKind[0][0])) + ", labels "
                    + Arrays.toString(exampleShape(byKind[1][0])) + "; batch 0 had " + Arrays.toString(shapes[0][0]) + ", "
                    + Arrays.toString(shapes[1][0]);
        }
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < byKind[k].length; i++) {
                long[] s = exampleShape(byKind[k][i]);
                if (!Arrays.equals(shapes[k][i], s)) {
                    return "batch " + b + " has example shape " + Arrays.toString(s) + " for " + name(k, i) + "; batch 0 had "
                            + Arrays.toString(shapes[k][i]);
                }
            }
        }
        throw new IllegalStateException("no shape differs");
    }

    private static long[] exampleShape(INDArray a) {
        return Arrays.copyOfRange(a.shape(), 1, a.rank());
    }

    private static INDArray[] padded(INDArray[] masks, int width) {
        return masks == null ? new INDArray[width] : masks;
    }

    private long bytesSoFar() {
        long b = 0;
        for (ExampleColumn[] kind : arrays) {
            for (ExampleColumn c : kind) {
                if (c != null) {
                    b += c.bytes();
                }
            }
        }
        return b;
    }

    ExampleStore build(boolean fromMulti) {
        for (ExampleColumn[] kind : arrays) {
            for (ExampleColumn c : kind) {
                if (c != null) {
                    c.trim();
                }
            }
        }
        int[] s = new int[starts.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = starts.get(i);
        }
        ExampleStore store = new ExampleStore(this, fromMulti, s);
        LOG.info("dgrab: copied {} examples in {} batches of the {} into memory ({} MB)", store.size(), s.length, source,
                store.bytes() / (1 << 20));
        return store;
    }
}
