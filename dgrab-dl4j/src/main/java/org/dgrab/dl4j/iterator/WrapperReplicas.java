package org.dgrab.dl4j.iterator;

import java.util.IdentityHashMap;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.ConvexOptimizer;

/**
 * What an {@link OrderingSession} learns in an epoch about the ParallelWrapper replicas that train its batches:
 * which ordering worker each replica trains for (a replica must keep to one), and whether they share gradients
 * ({@code TrainingMode.SHARED_GRADIENTS}, seen as a gradients accumulator on the replica's optimizer), which
 * restricts how epochs may follow each other. Call order: {@link #trained} for every batch's gradient,
 * {@link #startEpoch()} at every epoch start. Not thread-safe: the session calls it under its lock.
 */
final class WrapperReplicas {
    /** By identity: DL4J models compare equal when their parameters do, as averaged replicas' do. */
    private final Map<Model, Integer> workerOf = new IdentityHashMap<>();
    private boolean sharedGradients;

    /** Forgets the replicas: ParallelWrapper makes new ones for every {@code fit}. */
    void startEpoch() {
        workerOf.clear();
        sharedGradients = false;
    }

    /**
     * Records that a replica trained a batch of a worker.
     *
     * @param m      the replica
     * @param worker the ordering worker whose batch it trained
     * @return the other worker this replica trained for earlier in the epoch, or -1 if none
     */
    int trained(Model m, int worker) {
        Integer seen = workerOf.putIfAbsent(m, worker);
        if (seen == null) {
            sharedGradients |= accumulates(m);
        }
        return seen != null && seen != worker ? seen : -1;
    }

    /** @return true if a replica of this epoch shared its gradients through a gradients accumulator */
    boolean sharedGradients() {
        return sharedGradients;
    }

    private static boolean accumulates(Model m) {
        ConvexOptimizer o = m instanceof MultiLayerNetwork ? ((MultiLayerNetwork) m).getOptimizer()
                : m instanceof ComputationGraph ? ((ComputationGraph) m).getOptimizer() : null;
        return o != null && o.getGradientsAccumulator() != null;
    }
}
