package org.dgrab.spark;

import java.io.Serializable;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What an executor sends back to the driver for one training step of one worker: its key, the step's loss and
 * number of examples, and (for orderings that use gradients) the count-sketch of the step's gradient, in the
 * gradient's own floating-point type so that the driver balances exactly the vector an in-process CD-GraB with
 * the same sketch would.
 */
final class StepReport implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Bytes of the key and the loss and example count, beside the vector. */
    static final int HEADER_BYTES = 3 * Integer.BYTES + Double.BYTES + Integer.BYTES;

    private final ReportKey key;
    private final double score;
    private final int examples;
    /** One of the two is set for gradient orderings (FLOAT gradients: floats; others: doubles), none otherwise. */
    private final float[] floats;
    private final double[] doubles;

    StepReport(ReportKey key, double score, int examples, INDArray vector) {
        this.key = key;
        this.score = score;
        this.examples = examples;
        if (vector == null) {
            floats = null;
            doubles = null;
        } else if (vector.dataType() == DataType.FLOAT) {
            floats = vector.toFloatVector();
            doubles = null;
        } else {
            floats = null;
            doubles = vector.toDoubleVector();
        }
    }

    /** @return the key */
    public ReportKey key() {
        return key;
    }

    /** @return the step's mean loss over its examples, as the executor's model computed it */
    public double score() {
        return score;
    }

    /** @return the examples of the step */
    public int examples() {
        return examples;
    }

    /** @return whether the report carries a vector */
    public boolean hasVector() {
        return floats != null || doubles != null;
    }

    /** @return the vector's length (0 without one) */
    public int dim() {
        return floats != null ? floats.length : doubles != null ? doubles.length : 0;
    }

    /** @return bytes this report carries: header plus vector */
    public long bytes() {
        return HEADER_BYTES + (floats != null ? 4L * floats.length : doubles != null ? 8L * doubles.length : 0);
    }

    /** @return the vector as a fresh ND4J rank-1 array of the gradient's type (FLOAT or DOUBLE), or null */
    public INDArray vector() {
        return floats != null ? Nd4j.createFromArray(floats) : doubles != null ? Nd4j.createFromArray(doubles) : null;
    }
}
