package org.dgrab.dl4j.internal.gradient;

import java.nio.FloatBuffer;
import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies arrays' values to the heap in c order. A contiguous c-order array is read in place; any other (a view
 * such as a weight matrix inside the flattened parameters, or an f-order array) is first copied into a staging
 * array kept for the next call, so no step allocates. Goes through the backend-neutral affinity manager, so on
 * CUDA the device data is synchronised to the host first. One instance per kind of array read; not thread-safe.
 */
final class HostCopy {
    private INDArray stage;

    /**
     * @param a   the array to read
     * @param dst the array to reuse, or null
     * @return {@code dst}, or a new array when it was null or too short, holding {@code a}'s values in c order
     */
    double[] read(INDArray a, double[] dst) {
        long n = a.length();
        if (dst == null || dst.length < n) {
            dst = new double[(int) n];
        }
        INDArray c = a;
        if (a.ordering() != 'c' || a.isView() || a.data().length() != n) {
            if (stage == null || stage.dataType() != a.dataType() || !Arrays.equals(stage.shape(), a.shape())) {
                try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    stage = Nd4j.create(a.dataType(), a.shape(), 'c');
                }
            }
            stage.assign(a);
            c = stage;
        }
        Nd4j.getAffinityManager().ensureLocation(c, AffinityManager.Location.HOST);
        if (c.dataType() == DataType.FLOAT) {
            FloatBuffer fb = c.data().asNioFloat();
            for (int i = 0; i < n; i++) {
                dst[i] = fb.get(i);
            }
        } else if (c.dataType() == DataType.DOUBLE) {
            c.data().asNioDouble().get(0, dst, 0, (int) n);
        } else {
            System.arraycopy(c.toDoubleVector(), 0, dst, 0, (int) n);
        }
        return dst;
    }
}
