package org.dgrab.core.balance;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * A {@link VectorBuffer} on a plain {@code double[]}: the path for small vectors (gradient sketches, the
 * random-vector simulation), where a JIT-compiled loop beats ND4J's fixed cost of roughly ten microseconds per op.
 */
public final class ArrayVectorBuffer extends VectorBuffer {
    private final double[] v;

    /**
     * @param dim number of elements, positive
     */
    public ArrayVectorBuffer(int dim) {
        super(dim);
        this.v = new double[dim];
    }

    /** @return the backing array itself (not a copy) */
    public double[] values() {
        return v;
    }

    @Override
    public VectorBuffer newZero() {
        return new ArrayVectorBuffer(dim);
    }

    @Override
    public DataType dataType() {
        return DataType.DOUBLE;
    }

    @Override
    public void zero() {
        java.util.Arrays.fill(v, 0.0);
    }

    private static double[] arr(VectorRef x) {
        double[] a = x.array();
        if (a == null) {
            throw new IllegalArgumentException("this buffer works on double[] inputs, got an ND4J array");
        }
        return a;
    }

    private double[] arr(VectorBuffer x) {
        if (!(x instanceof ArrayVectorBuffer)) {
            throw new IllegalArgumentException("cannot mix ArrayVectorBuffer with " + x.getClass().getSimpleName());
        }
        if (x.dim != dim) {
            throw new IllegalArgumentException("buffer has " + x.dim + " elements, expected " + dim);
        }
        return ((ArrayVectorBuffer) x).v;
    }

    @Override
    public void assign(VectorRef src) {
        checkCompatible(src);
        System.arraycopy(arr(src), src.offset(), v, 0, dim);
    }

    @Override
    public void assign(VectorBuffer src) {
        System.arraycopy(arr(src), 0, v, 0, dim);
    }

    @Override
    public void difference(VectorBuffer a, VectorRef b) {
        checkCompatible(b);
        double[] x = arr(a);
        double[] y = arr(b);
        int o = b.offset();
        for (int i = 0; i < dim; i++) {
            v[i] = x[i] - y[o + i];
        }
    }

    @Override
    public void difference(VectorRef a, VectorBuffer b) {
        checkCompatible(a);
        double[] x = arr(a);
        double[] y = arr(b);
        int o = a.offset();
        for (int i = 0; i < dim; i++) {
            v[i] = x[o + i] - y[i];
        }
    }

    @Override
    public void add(VectorRef x) {
        checkCompatible(x);
        double[] a = arr(x);
        int o = x.offset();
        for (int i = 0; i < dim; i++) {
            v[i] += a[o + i];
        }
    }

    @Override
    public void addScaled(double alpha, VectorBuffer x) {
        double[] a = arr(x);
        if (alpha == 1.0) {
            for (int i = 0; i < dim; i++) {
                v[i] += a[i];
            }
        } else if (alpha == -1.0) {
            for (int i = 0; i < dim; i++) {
                v[i] -= a[i];
            }
        } else {
            for (int i = 0; i < dim; i++) {
                v[i] += alpha * a[i];
            }
        }
    }

    @Override
    public void scale(double alpha) {
        for (int i = 0; i < dim; i++) {
            v[i] *= alpha;
        }
    }

    @Override
    public double dot(VectorBuffer other) {
        double[] a = arr(other);
        double s = 0.0;
        for (int i = 0; i < dim; i++) {
            s += v[i] * a[i];
        }
        return s;
    }

    @Override
    public double[] toDoubleArray() {
        return v.clone();
    }

    @Override
    public void setFrom(double[] values) {
        if (values.length != dim) {
            throw new IllegalArgumentException("expected " + dim + " values, got " + values.length);
        }
        System.arraycopy(values, 0, v, 0, dim);
    }
}
