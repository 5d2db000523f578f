package org.dgrab.dl4j.internal.gradient;

/**
 * One captured batch's heap scratch: {@code h} and the parameters it meets (filled while capturing), the logits, the
 * labels, {@code dL/dz} and the per-example rows or the one reused row (filled when the rows are formed), with the
 * staging arrays those reads use. Belongs to one thread at a time: the capturing thread until
 * {@link OutputLayerCapture#swapBatch} hands it out, then whoever forms its rows.
 */
final class HeapBatch {
    /** Output-layer inputs, {@code [count, nIn]} row-major. */
    double[] h;
    /** The layer's weights transposed, {@code [nOut, nIn]}, as captured (a step's batches share it; read only). */
    double[] wT;
    /** The layer's bias {@code [nOut]} as at the capture, or null for a layer without bias (read only). */
    double[] b;
    /** Logits {@code z = h W + b}, {@code [count, nOut]}, once {@link #logitsDone}. */
    double[] z;
    /** Whether {@link #z} holds this capture's logits. */
    boolean logitsDone;
    /** Labels, {@code [count, nOut]}, on the heap path only. */
    double[] y;
    /** {@code dL/dz}, {@code [count, nOut]}. */
    double[] delta;
    /** Per-example rows, {@code [count, dimension]} (when all rows are asked for at once). */
    double[] rows;
    /** One example's row, {@code [dimension]} (when rows are handed out one at a time). */
    double[] row;
    /** Examples captured. */
    int count;
    final HostCopy stageY = new HostCopy();
    final HostCopy stageDelta = new HostCopy();
}
