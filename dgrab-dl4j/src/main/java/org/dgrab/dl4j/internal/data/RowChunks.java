package org.dgrab.dl4j.internal.data;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One column of an {@link ExampleStore} (an input's features, an output's labels, or a mask), as rows of equal length
 * in ND4J arrays of {@value #CHUNK_BYTES} bytes at most. Rows are appended batch by batch as the source is read, so a
 * source batch can be dropped as soon as it is copied: the store never holds the data twice (the copy into one
 * array that came before needed the batches and the array at once, 2-3x the data). Gathering rows into a batch is a
 * copy of bytes per row on the host, however many chunks the rows come from, not an ND4J op per chunk.
 *
 * <p>Call order: {@link #append} per source batch, {@link #trim} once, then {@link #gather} from any thread.
 */
final class RowChunks {
    /** Upper bound of one chunk: small enough that the last, partly filled one costs little, large enough to be few. */
    static final long CHUNK_BYTES = 32L << 20;

    private final DataType type;
    private final long rowLength;
    private final int rowBytes;
    private final int rowsPerChunk;
    private final List<INDArray> chunks = new ArrayList<>();
    private final List<ByteBuffer> bytes = new ArrayList<>();
    private int rows;

    /**
     * @param type      element type of the rows
     * @param rowLength elements per row
     */
    RowChunks(DataType type, long rowLength) {
        long rb = rowLength * type.width();
        if (rb > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("one example has " + rb + " bytes in one array; at most "
                    + Integer.MAX_VALUE + " are supported");
        }
        this.type = type;
        this.rowLength = rowLength;
        this.rowBytes = (int) Math.max(1, rb);
        this.rowsPerChunk = (int) Math.max(1, CHUNK_BYTES / rowBytes);
    }

    /** @return rows held */
    int rows() {
        return rows;
    }

    /** @return elements per row */
    long rowLength() {
        return rowLength;
    }

    /** @return bytes of the chunks (after {@link #trim}: of the rows) */
    long bytes() {
        long b = 0;
        for (INDArray c : chunks) {
            b += c.length() * type.width();
        }
        return b;
    }

    /** @return bytes the next append of {@code n} rows allocates, 0 if it fits into the current chunk */
    long bytesToAppend(long n) {
        long free = (long) chunks.size() * rowsPerChunk - rows;
        if (n <= free) {
            return 0;
        }
        long newChunks = (n - free + rowsPerChunk - 1) / rowsPerChunk;
        return newChunks * rowsPerChunk * (long) rowBytes;
    }

    /**
     * @param type      element type of a column not started yet
     * @param rowLength its elements per row
     * @param n         rows of its first append
     * @return bytes that first append allocates
     */
    static long bytesToStart(DataType type, long rowLength, long n) {
        return new RowChunks(type, rowLength).bytesToAppend(n);
    }

    /**
     * Copies rows to the end.
     *
     * @param a {@code [n, rowLength]} (any order, any type: converted to this column's type)
     */
    void append(INDArray a) {
        if (a.rank() != 2 || a.size(1) != rowLength) {
            throw new IllegalArgumentException("rows of " + (a.rank() == 2 ? a.size(1) : a.length()) + " values appended to a "
                    + "column of " + rowLength);
        }
        INDArray src = a.dataType() == type ? a : a.castTo(type);
        // A contiguous view (a reshaped batch) is read in place from its offset; anything else is copied once, and
        // that copy freed at once: off-heap garbage would otherwise wait for the Java heap's next collection.
        boolean copy = src.ordering() != 'c' || src.elementWiseStride() != 1;
        if (copy) {
            src = src.dup('c');
        }
        try {
            Nd4j.getAffinityManager().ensureLocation(src, AffinityManager.Location.HOST);
            copyRows(src);
        } finally {
            if (copy || src != a) {
                src.close();
            }
        }
    }

    private void copyRows(INDArray src) {
        ByteBuffer in = src.data().asNio();
        int base = (int) (src.offset() * type.width());
        long n = src.size(0);
        for (long r = 0; r < n; r++) {
            int chunk = rows / rowsPerChunk;
            if (chunk == chunks.size()) {
                addChunk();
            }
            int at = (rows % rowsPerChunk) * rowBytes;
            bytes.get(chunk).put(at, in, base + (int) (r * rowBytes), rowBytes);
            rows++;
        }
    }

    private void addChunk() {
        INDArray c;
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            c = Nd4j.createUninitializedDetached(type, 'c', rowsPerChunk, rowLength);
        }
        chunks.add(c);
        bytes.add(c.data().asNio());
    }

    /** Shrinks the last chunk to the rows it holds and marks the chunks as written on the host. */
    void trim() {
        int last = chunks.size() - 1;
        int used = rows - last * rowsPerChunk;
        if (last >= 0 && used < rowsPerChunk) {
            INDArray exact;
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                exact = Nd4j.createUninitializedDetached(type, 'c', used, rowLength);
            }
            ByteBuffer b = exact.data().asNio();
            b.put(0, bytes.get(last), 0, used * rowBytes);
            INDArray old = chunks.set(last, exact);
            bytes.set(last, b);
            old.close();
        }
        for (INDArray c : chunks) {
            Nd4j.getAffinityManager().tagLocation(c, AffinityManager.Location.HOST);
        }
    }

    /**
     * @param row a row
     * @return the bytes of the chunk holding it (shared: read with absolute methods only)
     */
    ByteBuffer chunkOf(int row) {
        return bytes.get(row / rowsPerChunk);
    }

    /**
     * @param row a row
     * @return where it starts in {@link #chunkOf}, in bytes
     */
    int byteOffset(int row) {
        return (row % rowsPerChunk) * rowBytes;
    }

    /**
     * @param idx row indices, in batch order
     * @return a new {@code [idx.length, rowLength]} array of those rows
     */
    INDArray gather(int[] idx) {
        INDArray out;
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            out = Nd4j.createUninitializedDetached(type, 'c', idx.length, rowLength);
        }
        ByteBuffer o = out.data().asNio();
        int ob = (int) (out.offset() * type.width());
        for (int i = 0; i < idx.length; i++) {
            int r = idx[i];
            o.put(ob + i * rowBytes, bytes.get(r / rowsPerChunk), (r % rowsPerChunk) * rowBytes, rowBytes);
        }
        Nd4j.getAffinityManager().tagLocation(out, AffinityManager.Location.HOST);
        return out;
    }
}
