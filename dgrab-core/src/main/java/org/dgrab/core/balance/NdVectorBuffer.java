package org.dgrab.core.balance;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.factory.BlasWrapper;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link VectorBuffer} backed by a rank-1 ND4J array, on whatever backend the application chose (CPU or CUDA).
 *
 * <p>FLOAT and DOUBLE use BLAS level 1 ({@code dot}, {@code axpy}, {@code copy}) through ND4J's
 * {@link BlasWrapper}: one call, one pass over memory, no temporary arrays. Other floating types (HALF, BFLOAT16)
 * fall back to ND4J's in-place element-wise ops and a reduce op with a preallocated scalar output. Each operation
 * costs one native call, so a balancing step on a pair difference is exactly one dot and one axpy.
 */
public final class NdVectorBuffer extends VectorBuffer {
    private final INDArray v;
    private final boolean blas;
    /** Preallocated output of the dot-product op for types BLAS does not cover. */
    private final INDArray dotOut;

    /**
     * Creates a zero buffer.
     *
     * @param type floating-point element type
     * @param dim  number of elements, positive
     */
    public NdVectorBuffer(DataType type, int dim) {
        super(dim);
        if (!type.isFPType()) {
            throw new IllegalArgumentException("buffer type must be floating point, got " + type);
        }
        this.v = Nd4j.zeros(type, dim);
        this.blas = type == DataType.FLOAT || type == DataType.DOUBLE;
        this.dotOut = blas ? null : Nd4j.scalar(type, 0.0);
    }

    /** @return the backing array itself (not a copy) */
    public INDArray array() {
        return v;
    }

    @Override
    public VectorBuffer newZero() {
        return new NdVectorBuffer(v.dataType(), dim);
    }

    @Override
    public DataType dataType() {
        return v.dataType();
    }

    @Override
    public void zero() {
        v.assign(0);
    }

    private INDArray nd(VectorRef x) {
        checkCompatible(x);
        INDArray a = x.nd();
        if (a == null) {
            throw new IllegalArgumentException("this buffer works on ND4J inputs, got a double[] slice");
        }
        if (a.dataType() != v.dataType()) {
            throw new IllegalArgumentException("vector has data type " + a.dataType() + ", expected " + v.dataType()
                    + " (the type of the first vector)");
        }
        return a;
    }

    private INDArray nd(VectorBuffer x) {
        if (!(x instanceof NdVectorBuffer)) {
            throw new IllegalArgumentException("cannot mix NdVectorBuffer with " + x.getClass().getSimpleName());
        }
        if (x.dim != dim) {
            throw new IllegalArgumentException("buffer has " + x.dim + " elements, expected " + dim);
        }
        INDArray a = ((NdVectorBuffer) x).v;
        if (a.dataType() != v.dataType()) {
            throw new IllegalArgumentException("buffer has data type " + a.dataType() + ", expected " + v.dataType());
        }
        return a;
    }

    @Override
    public void assign(VectorRef src) {
        copy(nd(src));
    }

    @Override
    public void assign(VectorBuffer src) {
        copy(nd(src));
    }

    private void copy(INDArray src) {
        if (blas) {
            Nd4j.getBlasWrapper().copy(src, v);
        } else {
            v.assign(src);
        }
    }

    @Override
    public void difference(VectorBuffer a, VectorRef b) {
        nd(a).sub(nd(b), v);
    }

    @Override
    public void difference(VectorRef a, VectorBuffer b) {
        nd(a).sub(nd(b), v);
    }

    @Override
    public void add(VectorRef x) {
        axpy(1.0, nd(x));
    }

    @Override
    public void addScaled(double alpha, VectorBuffer x) {
        axpy(alpha, nd(x));
    }

    private void axpy(double alpha, INDArray x) {
        if (blas) {
            Nd4j.getBlasWrapper().level1().axpy(dim, alpha, x, v);
        } else if (alpha == 1.0) {
            v.addi(x);
        } else if (alpha == -1.0) {
            v.subi(x);
        } else {
            // Not on the balancing path (signs are ±1): only checkpoint maths and rare rescaling get here.
            v.addi(x.mul(alpha));
        }
    }

    @Override
    public void scale(double alpha) {
        v.muli(alpha);
    }

    @Override
    public double dot(VectorBuffer other) {
        INDArray o = nd(other);
        if (blas) {
            return Nd4j.getBlasWrapper().dot(v, o);
        }
        Nd4j.getExecutioner().exec(new Dot(v, o, dotOut));
        return dotOut.getDouble(0);
    }

    @Override
    public double[] toDoubleArray() {
        return v.toDoubleVector();
    }

    @Override
    public void setFrom(double[] values) {
        if (values.length != dim) {
            throw new IllegalArgumentException("expected " + dim + " values, got " + values.length);
        }
        v.assign(Nd4j.createFromArray(values).castTo(v.dataType()));
    }
}
