package org.dgrab.dl4j.internal.data;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One array of every example of an {@link ExampleStore}: an input's features, an output's labels, or a mask. Examples
 * of one shape share one {@link RowChunks}. A time-series column (last dimension = time steps) may hold examples of
 * several lengths, as DL4J's sequence iterators produce them (each batch padded to its own longest sequence): each
 * length gets its chunks, and a gathered batch pads every example to the batch's longest, at the start or at the end
 * as the source aligned them. A mask column may miss the masks of some examples (batches without padding often come
 * without masks): those count as all ones.
 *
 * <p>Call order: {@link #append} / {@link #appendAbsent} per source batch in order, {@link #trim} once, then gathers
 * from any thread.
 */
final class ExampleColumn {
    private final DataType type;
    /** The example shape without its last dimension where {@link #timed}, else the whole example shape. */
    private final long[] head;
    private final boolean timed;
    private final List<RowChunks> buckets = new ArrayList<>();
    private final List<Long> lengths = new ArrayList<>();
    /** Per example its bucket (-1: absent mask) and row; null while every example is in bucket 0 at its own index. */
    private int[] bucketOf;
    private int[] rowOf;
    private int size;

    /**
     * @param type         element type
     * @param exampleShape shape of the first example
     * @param timed        true if the last dimension is time and may vary between batches
     */
    ExampleColumn(DataType type, long[] exampleShape, boolean timed) {
        this.type = type;
        this.timed = timed && exampleShape.length >= 1;
        this.head = this.timed ? Arrays.copyOf(exampleShape, exampleShape.length - 1) : exampleShape.clone();
    }

    /**
     * @param type element type of the masks
     * @param n    examples
     * @return a mask column in which every example's mask is absent (all ones over its own steps when padded)
     */
    static ExampleColumn absentMasks(DataType type, int n) {
        ExampleColumn c = new ExampleColumn(type, new long[] {1}, true);
        c.appendAbsent(n);
        return c;
    }

    /** @return element type */
    DataType type() {
        return type;
    }

    /** @return number of time steps of example {@code e} (its bucket's), or 0 for an absent mask */
    long length(int e) {
        int b = bucket(e);
        return b < 0 ? 0 : lengths.get(b);
    }

    private int bucket(int e) {
        return bucketOf == null ? (e < size ? 0 : -1) : bucketOf[e];
    }

    private int row(int e) {
        return rowOf == null ? e : rowOf[e];
    }

    /** @return bytes allocated */
    long bytes() {
        long b = 0;
        for (RowChunks c : buckets) {
            b += c.bytes();
        }
        return b;
    }

    /** @return elements per example of the first length (the flat row length of a fixed-shape column) */
    long rowLength() {
        return buckets.get(0).rowLength();
    }

    /**
     * @param n     rows to append
     * @param shape their example shape
     * @return bytes the append would allocate
     */
    long bytesToAppend(long n, long[] shape) {
        int b = lengths.indexOf(last(shape));
        return b < 0 ? RowChunks.bytesToStart(type, product(shape), n) : buckets.get(b).bytesToAppend(n);
    }

    private long last(long[] shape) {
        return timed ? shape[shape.length - 1] : -1;
    }

    private static long product(long[] shape) {
        long p = 1;
        for (long s : shape) {
            p *= s;
        }
        return p;
    }

    /**
     * @param a examples {@code [n, ...]} whose shape matches this column but for the time steps
     * @throws IllegalArgumentException if the shape differs elsewhere than in the time steps
     */
    void append(INDArray a) {
        long[] shape = Arrays.copyOfRange(a.shape(), 1, a.rank());
        if (!Arrays.equals(timed ? Arrays.copyOf(shape, shape.length - 1) : shape, head)) {
            throw new IllegalArgumentException("example shape " + Arrays.toString(shape) + " does not match "
                    + Arrays.toString(head) + (timed ? " plus time steps" : ""));
        }
        long t = last(shape);
        int b = lengths.indexOf(t);
        if (b < 0) {
            b = buckets.size();
            buckets.add(new RowChunks(type, product(shape)));
            lengths.add(t);
        }
        long n = a.size(0);
        if (b != 0 && bucketOf == null) {
            spread();
        }
        RowChunks chunks = buckets.get(b);
        int first = chunks.rows();
        chunks.append(a.reshape('c', n, a.length() / n));
        record(n, b, first);
    }

    /** @param n examples without this array (a mask column only) */
    void appendAbsent(long n) {
        if (bucketOf == null) {
            spread();
        }
        record(n, -1, 0);
    }

    private void spread() {
        bucketOf = new int[Math.max(16, size * 2)];
        rowOf = new int[bucketOf.length];
        for (int e = 0; e < size; e++) {
            rowOf[e] = e;
        }
    }

    private void record(long n, int b, int firstRow) {
        if (bucketOf != null) {
            int need = Math.toIntExact(size + n);
            if (need > bucketOf.length) {
                int cap = Math.max(need, bucketOf.length * 2);
                bucketOf = Arrays.copyOf(bucketOf, cap);
                rowOf = Arrays.copyOf(rowOf, cap);
            }
            for (int i = 0; i < n; i++) {
                bucketOf[size + i] = b;
                rowOf[size + i] = b < 0 ? -1 : firstRow + i;
            }
        }
        size = Math.toIntExact(size + n);
    }

    /** Shrinks the chunks to their rows (see {@link RowChunks#trim}). */
    void trim() {
        for (RowChunks c : buckets) {
            c.trim();
        }
        if (bucketOf != null) {
            bucketOf = Arrays.copyOf(bucketOf, size);
            rowOf = Arrays.copyOf(rowOf, size);
        }
    }

    /**
     * @param idx example indices
     * @return the longest length among them (0 if all are absent masks)
     */
    long longest(int[] idx) {
        long t = 0;
        for (int e : idx) {
            t = Math.max(t, length(e));
        }
        return t;
    }

    /**
     * @param idx examples in batch order
     * @return true if the examples all have one length and none is an absent mask: a plain gather serves them
     */
    boolean uniform(int[] idx) {
        int b0 = bucket(idx[0]);
        if (b0 < 0) {
            return false;
        }
        for (int e : idx) {
            if (bucket(e) != b0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Gathers examples of one length (see {@link #uniform}).
     *
     * @param idx examples in batch order
     * @return {@code [idx.length, ...example shape]}
     */
    INDArray gather(int[] idx) {
        int b = bucket(idx[0]);
        int[] rows = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            rows[i] = row(idx[i]);
        }
        INDArray flat = buckets.get(b).gather(rows);
        long[] shape = new long[head.length + (timed ? 2 : 1)];
        shape[0] = idx.length;
        System.arraycopy(head, 0, shape, 1, head.length);
        if (timed) {
            shape[shape.length - 1] = lengths.get(b);
        }
        return shape.length == 2 ? flat : flat.reshape('c', shape);
    }

    /**
     * Gathers examples padded to {@code steps} time steps, zeros where an example is shorter; an absent mask is all
     * ones over {@code ones[i]} steps.
     *
     * @param idx      examples in batch order
     * @param steps    time steps of the batch
     * @param alignEnd true to pad at the start (sequences end together), false to pad at the end
     * @param ones     for an absent mask, the steps it covers per batch position; may be null for other columns
     * @return {@code [idx.length, ...head, steps]}
     */
    INDArray gatherPadded(int[] idx, long steps, boolean alignEnd, long[] ones) {
        long[] shape = new long[head.length + 2];
        shape[0] = idx.length;
        System.arraycopy(head, 0, shape, 1, head.length);
        shape[shape.length - 1] = steps;
        INDArray out;
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            out = Nd4j.create(type, shape, 'c');
        }
        Nd4j.getAffinityManager().ensureLocation(out, AffinityManager.Location.HOST);
        ByteBuffer o = out.data().asNio();
        int w = type.width();
        long blocks = product(head);
        for (int i = 0; i < idx.length; i++) {
            int b = bucket(idx[i]);
            if (b < 0) {
                long n = ones[i];
                long shift = alignEnd ? steps - n : 0;
                for (long s = 0; s < n; s++) {
                    out.putScalar(new long[] {i, shift + s}, 1.0);
                }
                continue;
            }
            long t = lengths.get(b);
            long shift = alignEnd ? steps - t : 0;
            RowChunks chunks = buckets.get(b);
            ByteBuffer src = chunks.chunkOf(row(idx[i]));
            long from = chunks.byteOffset(row(idx[i]));
            for (long k = 0; k < blocks; k++) {
                long to = (out.offset() + (i * blocks + k) * steps + shift) * w;
                o.put(Math.toIntExact(to), src, Math.toIntExact(from + k * t * w), Math.toIntExact(t * w));
            }
        }
        Nd4j.getAffinityManager().tagLocation(out, AffinityManager.Location.HOST);
        return out;
    }
}
