package org.dgrab.core.internal.balance;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.BlasWrapper;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link VectorBuffer} backed by a rank-1 ND4J array, on whatever backend the application chose (CPU or CUDA).
 *
 * <p>FLOAT and DOUBLE use BLAS level 1 ({@code dot}, {@code axpy}, {@code copy}) through ND4J's
 * {@link BlasWrapper}: one call, one pass over memory, no temporary arrays; a difference is a copy plus an axpy
 * (two calls), which is cheaper than ND4J's element-wise subtraction for every size measured, except for long
 * vectors ({@value #ONE_PASS_DIFFERENCE} elements or more), where ND4J's legacy axpy transform forms it in one pass
 * (at that size memory passes, not call overhead, are the cost). Other floating types
 * (HALF, BFLOAT16) fall back to ND4J's in-place element-wise ops and a reduce op with a preallocated scalar output.
 * A balancing step on a pair difference is exactly one dot and one axpy.
 */
public final class NdVectorBuffer extends VectorBuffer {
    private final INDArray v;
    private final boolean blas;
    /** Preallocated output of the dot-product op for types BLAS does not cover. */
    private final INDArray dotOut;

    /**
     * From this length on, a difference is one ND4J transform (about a microsecond of fixed cost, one pass) rather
     * than two BLAS calls (two passes); below it the fixed cost dominates.
     */
    static final int ONE_PASS_DIFFERENCE = 1 << 16;

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
        subtract(nd(a), nd(b));
    }

    @Override
    public void difference(VectorRef a, VectorBuffer b) {
        subtract(nd(a), nd(b));
    }

    private void subtract(INDArray a, INDArray b) {
        if (blas && dim >= ONE_PASS_DIFFERENCE) {
            // One pass (read a and b, write this) instead of copy + axpy's two: at this size the difference is
            // memory-bound, and on a background ordering thread fewer passes also disturb training less. ND4J's
            // legacy axpy transform computes z = p x + y, and -b + a rounds exactly like a - b.
            Nd4j.getExecutioner().exec(new Axpy(b, a, v, -1.0));
        } else if (blas) {
            // copy + axpy: two passes, but two cheap BLAS calls. ND4J's element-wise subtraction is a custom op
            // whose fixed cost (about 20 us, and milliseconds when its thread pool competes for busy cores) is
            // several times a BLAS call's; see docs/benchmarks.md.
            if (b == v) {
                // this = a - this: negate in place, then add a (copying a first would overwrite b).
                Nd4j.getBlasWrapper().level1().scal(dim, -1.0, v);
                Nd4j.getBlasWrapper().level1().axpy(dim, 1.0, a, v);
            } else {
                Nd4j.getBlasWrapper().copy(a, v);
                Nd4j.getBlasWrapper().level1().axpy(dim, -1.0, b, v);
            }
        } else {
            a.sub(b, v);
        }
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
