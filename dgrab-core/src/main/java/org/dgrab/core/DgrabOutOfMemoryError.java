package org.dgrab.core;

import java.util.Locale;

import org.bytedeco.javacpp.Pointer;

/**
 * Not enough memory for a large allocation of dgrab's own: the strategies' per-worker state vectors (on the Java heap
 * for {@code double[]} gradients, in ND4J's off-heap memory for {@code INDArray} ones) or the herding job's
 * {@code n * m * d} vectors. Unlike a bare {@link OutOfMemoryError} it says how many bytes were needed, of which
 * memory, the limit, and how to raise it: {@code -Xmx} for the heap, {@code -Dorg.bytedeco.javacpp.maxbytes} (and
 * {@code maxphysicalbytes}) for ND4J's off-heap memory. Where the need is known to exceed the limit, it is thrown
 * before anything is allocated; otherwise it wraps the JVM's or ND4J's error, which is then its cause.
 */
public final class DgrabOutOfMemoryError extends OutOfMemoryError {
    private static final long serialVersionUID = 1L;

    /** Which memory an allocation uses. */
    public enum Memory {
        /** The Java heap, limited by {@code -Xmx}. */
        HEAP,
        /** ND4J's off-heap memory (JavaCPP), limited by {@code -Dorg.bytedeco.javacpp.maxbytes}. */
        OFF_HEAP
    }

    private final long bytes;
    private final Memory memory;

    private DgrabOutOfMemoryError(String what, long bytes, Memory memory, long limit) {
        super(message(what, bytes, memory, limit));
        this.bytes = bytes;
        this.memory = memory;
    }

    /** @return the bytes the allocation needed (an estimate from the sizes involved) */
    public long bytes() {
        return bytes;
    }

    /** @return the memory it needed them from */
    public Memory memory() {
        return memory;
    }

    /**
     * Refuses, before allocating, a need that cannot fit under the configured limit at all.
     *
     * @param what   what is allocated, for the message, e.g. "the id-grab-pair state of 4 workers x 3 vectors of
     *               1000000 FLOAT"
     * @param bytes  the bytes it needs
     * @param memory where
     * @throws DgrabOutOfMemoryError if {@code bytes} exceeds the limit
     */
    public static void checkFits(String what, long bytes, Memory memory) {
        long limit = limit(memory);
        if (limit > 0 && bytes > limit) {
            throw new DgrabOutOfMemoryError(what, bytes, memory, limit);
        }
    }

    /**
     * @param what   what was allocated, for the message
     * @param bytes  the bytes it needed
     * @param memory where
     * @param cause  the JVM's or ND4J's error
     * @return the error to throw instead, with the cause attached
     */
    public static DgrabOutOfMemoryError of(String what, long bytes, Memory memory, OutOfMemoryError cause) {
        if (cause instanceof DgrabOutOfMemoryError d) {
            return d;
        }
        DgrabOutOfMemoryError e = new DgrabOutOfMemoryError(what, bytes, memory, limit(memory));
        e.initCause(cause);
        return e;
    }

    private static long limit(Memory memory) {
        long limit = memory == Memory.HEAP ? Runtime.getRuntime().maxMemory() : Pointer.maxBytes();
        return limit == Long.MAX_VALUE ? 0 : limit;
    }

    private static String message(String what, long bytes, Memory memory, long limit) {
        String have = limit > 0 ? ", and the limit is " + mib(limit) : "";
        String raise = memory == Memory.HEAP
                ? "raise the Java heap limit, e.g. -Xmx" + gib(bytes) + "g (JAVA_OPTS=-Xmx" + gib(bytes) + "g for ./dgrab)"
                : "raise ND4J's off-heap limit, e.g. -Dorg.bytedeco.javacpp.maxbytes=" + gib(bytes) + "g and "
                + "-Dorg.bytedeco.javacpp.maxphysicalbytes=" + (gib(bytes) + 1) + "g";
        return "out of memory: " + what + " needs " + bytes + " bytes (" + mib(bytes) + ") of "
                + (memory == Memory.HEAP ? "the Java heap" : "ND4J's off-heap memory") + have + "; " + raise
                + ", or need less (fewer workers, a gradient sketch with optSketchDim, smaller units)";
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    /** Twice the need, rounded up to whole GiB: room for everything else in that memory. */
    private static long gib(long bytes) {
        return 2 * bytes / (1L << 30) + 1;
    }
}
