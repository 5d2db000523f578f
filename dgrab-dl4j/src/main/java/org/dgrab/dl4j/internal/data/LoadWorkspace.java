package org.dgrab.dl4j.internal.data;

import java.io.IOException;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a read of a DataVec iterator inside an ND4J workspace of the reading thread, so that what the read allocates
 * and drops (decoded images, per-record arrays, the batch before concatenation) is reused at the next read instead
 * of piling up as off-heap garbage until the next Java garbage collection. DL4J's own {@code AsyncDataSetIterator}
 * runs every read of the iterators it wraps inside a workspace in the same way, so DataVec's readers and DL4J's
 * pre-processors are made for it. Whatever the read returns must be detached (copied out of the workspace) before
 * the scope ends; nothing else may escape it.
 */
final class LoadWorkspace {
    private static final String ID = "DGRAB_LOAD";
    /** As DL4J's per-layer working memory: learns its size over time, reset when each read's scope closes. */
    private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .initialSize(0)
            .overallocationLimit(0.1)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policyLearning(LearningPolicy.OVER_TIME)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    /** A read whose result is detached from the workspace before it returns. */
    interface Read<R> {
        R read() throws IOException;
    }

    private LoadWorkspace() {
    }

    /**
     * @param read the read; it must return only arrays it detached
     * @param <R>  what it returns
     * @return what the read returned
     * @throws IOException the read's failure
     */
    static <R> R scoped(Read<R> read) throws IOException {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, ID)) {
            return read.read();
        }
    }

    /** Frees this thread's workspace (its memory otherwise lives as long as the thread). */
    static void release() {
        if (Nd4j.getWorkspaceManager().checkIfWorkspaceExists(ID)) {
            Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(ID).destroyWorkspace();
        }
    }
}
