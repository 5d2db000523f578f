package org.dgrab.dl4j.internal.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The rank-1 view of one array, made again only when the array changes: a model's flattened gradient is a {@code [1,
 * d]} row, and reshaping it every step would cost a native shape buffer per step, which ND4J's deallocator thread
 * frees later. Safe to call from several threads: the cache is one immutable pair.
 */
final class RankOneView {
    private Cached cached;

    /**
     * @param array an array, normally the same one call after call
     * @return a rank-1 view of its memory, or {@code array} itself when it is rank 1 already or not a contiguous
     *         vector (a reshape would then copy)
     */
    INDArray of(INDArray array) {
        Cached c = cached;
        if (c == null || c.array() != array) {
            boolean view = array.rank() != 1 && array.isVector() && array.elementWiseStride() == 1;
            c = new Cached(array, view ? array.reshape(array.length()) : array);
            cached = c;
        }
        return c.vector();
    }

    /**
     * @param array  the array
     * @param vector its rank-1 view
     */
    private record Cached(INDArray array, INDArray vector) {
    }
}
