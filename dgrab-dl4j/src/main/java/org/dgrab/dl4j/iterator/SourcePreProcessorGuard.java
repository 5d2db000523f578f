package org.dgrab.dl4j.iterator;

import org.dgrab.dl4j.internal.data.ExampleSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells, once, that a pre-processor set on a wrapped iterator after dgrab copied it into memory does not reach the
 * copy: the copy was pre-processed when it was read, and a normalizer set later (a common DL4J habit: fit it, then
 * {@code setPreProcessor}) would otherwise be ignored without a word. Sources read on demand run the wrapped
 * iterator's pre-processor on every load, so they need no telling.
 *
 * <p>Call order: {@link #opened} once, when the source is opened; {@link #check} per served batch (a reference
 * comparison).
 */
final class SourcePreProcessorGuard {
    private static final Logger log = LoggerFactory.getLogger(SourcePreProcessorGuard.class);

    private final String name;
    private volatile boolean copied;
    private volatile Object atCopy;
    private boolean warned;

    /** @param name the wrapped iterator's type, for the message */
    SourcePreProcessorGuard(String name) {
        this.name = name;
    }

    /**
     * @param source       the opened source
     * @param preProcessor the wrapped iterator's pre-processor at that moment (null for none)
     * @param <S>          the source type
     * @return the source
     */
    <S extends ExampleSource<?>> S opened(S source, Object preProcessor) {
        atCopy = preProcessor;
        copied = !source.onDemand();
        return source;
    }

    /** @param now the wrapped iterator's pre-processor now */
    void check(Object now) {
        if (copied && !warned && now != atCopy) {
            warned = true;
            log.warn("dgrab: a pre-processor was set on the wrapped {} after dgrab copied it into memory, so it does not "
                    + "apply to the served batches (the copy holds the data as it was read). Set it on the ordered "
                    + "iterator instead (ordered.setPreProcessor(...)), or set it before the first epoch, or wrap a "
                    + "record-reader iterator, which is read on demand.", name);
        }
    }
}
