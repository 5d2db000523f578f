package org.dgrab.dl4j.internal.data;

import java.util.Locale;

import org.bytedeco.javacpp.Pointer;

/**
 * Stops a copy into memory before it runs the process past ND4J's memory limit (JavaCPP's
 * {@code maxphysicalbytes}, which ND4J's allocations are checked against), with a dgrab message that says how many bytes
 * were needed, what the limit is and which sources would not need the copy: ND4J's own failure comes later (in the
 * first op that cannot allocate, often deep inside training) and names none of this.
 */
final class MemoryBudget {
    private MemoryBudget() {
    }

    /**
     * @param needed   bytes the next append allocates
     * @param examples examples copied so far
     * @param held     bytes copied so far
     * @param source   what is read
     * @throws IllegalStateException if the allocation would pass ND4J's limit ({@code org.bytedeco.javacpp.maxphysicalbytes})
     */
    static void check(long needed, int examples, long held, String source) {
        if (needed <= 0) {
            return;
        }
        long maxPhysical = Pointer.maxPhysicalBytes();
        if (maxPhysical > 0) {
            long physical = Pointer.physicalBytes();
            if (physical + needed > maxPhysical) {
                throw new IllegalStateException(message(needed, examples, held, source, physical, maxPhysical));
            }
        }
    }

    /**
     * @return the error to throw when an allocation failed anyway (the JVM's or ND4J's own limit)
     */
    static IllegalStateException exhausted(long needed, int examples, long held, String source, OutOfMemoryError e) {
        return new IllegalStateException(message(needed, examples, held, source, Pointer.physicalBytes(),
                Pointer.maxPhysicalBytes())
                + " (" + e.getMessage() + ")", e);
    }

    private static String message(long needed, int examples, long held, String source, long used, long max) {
        return String.format(Locale.ROOT, "dgrab: copying the %s into memory needs more than %,d bytes (%,d examples "
                + "copied so far in %,d bytes, %,d more bytes for the next batch, and the source is not finished), but the "
                + "process may use %,d bytes of memory (ND4J's limit, org.bytedeco.javacpp.maxphysicalbytes: by default "
                + "twice -Xmx) and uses %,d already. Read the data "
                + "on demand instead: wrap a RecordReaderDataSetIterator / SequenceRecordReaderDataSetIterator (loaded by "
                + "RecordMetaData) or an ExistingMiniBatchDataSetIterator / FileDataSetIterator over saved mini-batches; or "
                + "raise the limit with -Dorg.bytedeco.javacpp.maxphysicalbytes",
                source, held + needed, examples, held, needed, max, used);
    }
}
