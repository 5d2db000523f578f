package org.dgrab.core.internal.balance;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A borrowed view of one input vector (a unit's gradient, or its sketch): either an ND4J array of any floating-point
 * type on any backend, or a slice {@code [offset, offset + dim)} of a {@code double[]}.
 *
 * <p>This is a mutable holder that strategies reuse for every call, so that handing a gradient in allocates nothing.
 * It never owns or copies the data: the caller's vector must stay unchanged until the call that received it returns.
 */
public final class VectorRef {
    private INDArray nd;
    private double[] array;
    private int offset;
    private int dim;

    /**
     * Points this reference at an ND4J vector. Any rank is accepted as long as the array is a vector in memory
     * (rank 1, a row or a column); a non-contiguous view is flattened into a copy.
     *
     * @param vector the vector, not null, floating point
     * @return this
     * @throws IllegalArgumentException for null, non floating-point or non-vector arrays
     */
    public VectorRef set(INDArray vector) {
        if (vector == null) {
            throw new IllegalArgumentException("vector is null");
        }
        if (!vector.dataType().isFPType()) {
            throw new IllegalArgumentException("vector must have a floating-point data type, got " + vector.dataType());
        }
        if (vector.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("vectors longer than " + Integer.MAX_VALUE + " are not supported, got "
                    + vector.length());
        }
        if (vector.rank() != 1) {
            if (!vector.isVectorOrScalar()) {
                throw new IllegalArgumentException("expected a vector (rank 1, a row or a column), got shape "
                        + java.util.Arrays.toString(vector.shape()));
            }
            // A [1, d] row from DL4J's flattened gradient is contiguous, so reshape is a view, not a copy.
            vector = vector.reshape(vector.length());
        }
        this.nd = vector;
        this.array = null;
        this.offset = 0;
        this.dim = (int) vector.length();
        return this;
    }

    /**
     * Points this reference at {@code values[offset .. offset + dim)}.
     *
     * @param values backing array
     * @param offset first element
     * @param dim    number of elements, positive
     * @return this
     * @throws IllegalArgumentException if the slice is out of range
     */
    public VectorRef set(double[] values, int offset, int dim) {
        if (values == null) {
            throw new IllegalArgumentException("values is null");
        }
        if (dim <= 0 || offset < 0 || offset > values.length - dim) {
            throw new IllegalArgumentException("slice [" + offset + ", " + ((long) offset + dim) + ") is outside an array of length "
                    + values.length + " (dim must be positive)");
        }
        this.nd = null;
        this.array = values;
        this.offset = offset;
        this.dim = dim;
        return this;
    }

    /** @return true if this refers to an ND4J array, false for a {@code double[]} slice */
    public boolean isNd() {
        return nd != null;
    }

    /** @return the ND4J vector (rank 1), or null for an array slice */
    public INDArray nd() {
        return nd;
    }

    /** @return the backing array, or null for an ND4J vector */
    public double[] array() {
        return array;
    }

    /** @return offset of the first element in {@link #array()} */
    public int offset() {
        return offset;
    }

    /** @return number of elements */
    public int dim() {
        return dim;
    }

    /** @return the element type: the array's for ND4J, {@link DataType#DOUBLE} for {@code double[]} slices */
    public DataType dataType() {
        return nd != null ? nd.dataType() : DataType.DOUBLE;
    }

    /**
     * Index of the first non-finite element. Slow (copies ND4J data to the heap): meant for error messages only.
     *
     * @return the index, or -1 if all elements are finite
     */
    public int firstNonFinite() {
        if (nd != null) {
            return VectorBuffer.firstNonFinite(nd.toDoubleVector(), 0, dim);
        }
        return VectorBuffer.firstNonFinite(array, offset, dim);
    }
}
