package org.dgrab.dl4j.internal.model;

import java.util.concurrent.atomic.AtomicBoolean;

import org.deeplearning4j.nn.api.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns once per JVM when ND4J's OpenMP threads are likely to slow training badly: a small model on a machine with
 * few cores and {@code OMP_NUM_THREADS} unset. There every tiny op wakes all OpenMP threads, which spin at
 * barriers while the cores are busy with other work; docs/usage.md ("Threads") has the measurements. ND4J reads the
 * variable when it loads, so it cannot be fixed from here.
 */
public final class ThreadAdvice {
    private static final Logger log = LoggerFactory.getLogger(ThreadAdvice.class);
    /** Models below this many parameters are "small": their ops are too short to gain from several threads. */
    static final long SMALL_MODEL_PARAMS = 5_000_000L;
    /** Machines with at most this many cores are "few cores". */
    static final int FEW_CORES = 4;
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private ThreadAdvice() {
    }

    /**
     * Logs the warning if it applies and was not logged yet.
     *
     * @param model the model about to be trained
     */
    public static void warnOnceIfSlow(Model model) {
        String omp = System.getenv("OMP_NUM_THREADS");
        int cores = Runtime.getRuntime().availableProcessors();
        if (applies(omp, cores, model.numParams()) && WARNED.compareAndSet(false, true)) {
            log.warn("OMP_NUM_THREADS is not set: ND4J runs every op of this small model ({} parameters) on {} OpenMP "
                    + "threads, which on {} cores can make training many times slower than one thread. Start the JVM "
                    + "with OMP_NUM_THREADS=1 (see dgrab's docs/usage.md, Threads)", model.numParams(), cores, cores);
        }
    }

    /**
     * @param omp    the value of OMP_NUM_THREADS, or null
     * @param cores  available processors
     * @param params model parameters
     * @return whether the setting is known to slow such a model down badly
     */
    static boolean applies(String omp, int cores, long params) {
        return (omp == null || omp.isBlank()) && cores > 1 && cores <= FEW_CORES && params < SMALL_MODEL_PARAMS;
    }
}
