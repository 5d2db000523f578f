package org.dgrab.core.internal.balance;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.dgrab.core.internal.state.StateReader;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A preallocated, owned vector on which the balancing maths runs in place: running sums, pair caches, pair
 * differences, means. Two implementations: {@link NdVectorBuffer} keeps the data in an ND4J array (any floating
 * type, CPU or CUDA) and uses BLAS level-1 calls, {@link ArrayVectorBuffer} keeps a {@code double[]} for small
 * vectors (sketches, simulations) where ND4J's fixed cost per operation would dominate.
 *
 * <p>Every operation works in place and allocates nothing. Operands must be of the same implementation and
 * dimension; inputs ({@link VectorRef}) must be ND4J arrays for {@link NdVectorBuffer} and {@code double[]}
 * slices for {@link ArrayVectorBuffer}. Not thread-safe.
 */
public abstract class VectorBuffer {
    /** Number of elements. */
    protected final int dim;

    /**
     * @param dim number of elements, positive
     */
    protected VectorBuffer(int dim) {
        if (dim <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dim);
        }
        this.dim = dim;
    }

    /**
     * Creates a zero buffer of the same kind as an input: ND4J for ND4J inputs (same data type), {@code double[]}
     * for array inputs.
     *
     * @param like input that decides the kind
     * @param dim  number of elements
     * @return a new zero buffer
     */
    public static VectorBuffer like(VectorRef like, int dim) {
        return like.isNd() ? new NdVectorBuffer(like.dataType(), dim) : new ArrayVectorBuffer(dim);
    }

    /** @return a new zero buffer of the same kind, data type and dimension */
    public abstract VectorBuffer newZero();

    /** @return number of elements */
    public final int dim() {
        return dim;
    }

    /** @return element type ({@link DataType#DOUBLE} for array buffers) */
    public abstract DataType dataType();

    /** @return bytes one element takes on the wire or in memory */
    public final int bytesPerElement() {
        return dataType().width();
    }

    /** Sets every element to zero. */
    public abstract void zero();

    /**
     * {@code this = src}.
     *
     * @param src input of the same kind and dimension
     */
    public abstract void assign(VectorRef src);

    /**
     * {@code this = src}.
     *
     * @param src buffer of the same kind and dimension
     */
    public abstract void assign(VectorBuffer src);

    /**
     * {@code this = a - b}.
     *
     * @param a minuend buffer
     * @param b subtrahend input
     */
    public abstract void difference(VectorBuffer a, VectorRef b);

    /**
     * {@code this = a - b}.
     *
     * @param a minuend input
     * @param b subtrahend buffer
     */
    public abstract void difference(VectorRef a, VectorBuffer b);

    /**
     * {@code this += x}.
     *
     * @param x input of the same kind and dimension
     */
    public abstract void add(VectorRef x);

    /**
     * {@code this += alpha * x}; for {@code alpha = ±1} no multiplication is done.
     *
     * @param alpha scale
     * @param x     buffer of the same kind and dimension
     */
    public abstract void addScaled(double alpha, VectorBuffer x);

    /**
     * {@code this *= alpha}.
     *
     * @param alpha scale
     */
    public abstract void scale(double alpha);

    /**
     * Inner product, accumulated in at least the buffer's precision.
     *
     * @param other buffer of the same kind and dimension
     * @return {@code <this, other>}
     */
    public abstract double dot(VectorBuffer other);

    /** @return a heap copy of the values (allocates; for checkpoints, diagnostics and tests) */
    public abstract double[] toDoubleArray();

    /**
     * Overwrites the values from a heap array (allocates on ND4J; for checkpoint restore and tests).
     *
     * @param values exactly {@link #dim()} values
     */
    public abstract void setFrom(double[] values);

    /**
     * Writes dimension and values (as doubles, which represent every float type exactly).
     *
     * @param out sink
     * @throws IOException on write failure
     */
    public final void write(DataOutput out) throws IOException {
        out.writeInt(dim);
        for (double v : toDoubleArray()) {
            out.writeDouble(v);
        }
    }

    /**
     * Reads values written by {@link #write(DataOutput)} into this buffer.
     *
     * @param in source
     * @throws IOException on read failure or a dimension mismatch
     */
    public final void read(DataInput in) throws IOException {
        int d = in.readInt();
        if (d != dim) {
            throw new IOException("checkpoint vector has dimension " + d + ", expected " + dim);
        }
        double[] v = new double[d];
        for (int i = 0; i < d; i++) {
            v[i] = in.readDouble();
        }
        setFrom(v);
    }

    /**
     * Writes kind, data type, dimension and values, so that {@link #readTyped(DataInput)} can recreate the buffer
     * without knowing its kind in advance.
     *
     * @param out sink
     * @param b   buffer, or null
     * @throws IOException on failure
     */
    public static void writeTyped(DataOutput out, VectorBuffer b) throws IOException {
        if (b == null) {
            out.writeByte(0);
            return;
        }
        out.writeByte(b instanceof NdVectorBuffer ? 1 : 2);
        out.writeUTF(b.dataType().name());
        b.write(out);
    }

    /**
     * Recreates a buffer written by {@link #writeTyped(DataOutput, VectorBuffer)}.
     *
     * @param in source
     * @return the buffer, or null if null was written
     * @throws IOException on failure
     */
    public static VectorBuffer readTyped(DataInput in) throws IOException {
        return readTyped(StateReader.of(in), "vector");
    }

    /**
     * Recreates a buffer written by {@link #writeTyped(DataOutput, VectorBuffer)}, of whatever kind, data type and
     * dimension it has; the dimension is bounded by the bytes that remain before the buffer is allocated.
     *
     * @param in   source
     * @param what what the vector is, for messages
     * @return the buffer, or null if null was written
     * @throws IOException naming the byte, for an unknown kind or data type, a bad dimension or missing values
     */
    public static VectorBuffer readTyped(StateReader in, String what) throws IOException {
        long at = in.position();
        int kind = in.readByte("kind of " + what);
        if (kind == 0) {
            return null;
        }
        if (kind != 1 && kind != 2) {
            throw new IOException("corrupt checkpoint at byte " + at + ": " + what + " has unknown vector kind " + kind
                    + ", expected 0 (none), 1 (ND4J) or 2 (double[])");
        }
        DataType type = readDataType(in, "data type of " + what);
        if (kind == 2 && type != DataType.DOUBLE) {
            throw in.corrupt(what + " is a double[] vector of data type " + type + ", expected DOUBLE");
        }
        int d = in.readInt("dimension of " + what, 1, (int) Math.min(Integer.MAX_VALUE, in.remaining() / 8));
        VectorBuffer b = kind == 1 ? new NdVectorBuffer(type, d) : new ArrayVectorBuffer(d);
        b.setFrom(in.readDoubles(what, d));
        return b;
    }

    /**
     * Reads the name of a floating-point ND4J data type.
     *
     * @param in   source
     * @param what what the type is, for messages
     * @return the type
     * @throws IOException for an unknown or non-floating-point type
     */
    public static DataType readDataType(StateReader in, String what) throws IOException {
        long at = in.position();
        String name = in.readUTF(what);
        for (DataType t : DataType.values()) {
            if (t.name().equals(name) && t.isFPType()) {
                return t;
            }
        }
        throw new IOException("corrupt checkpoint at byte " + at + ": " + what + " is '" + name
                + "', expected a floating-point ND4J data type");
    }

    /**
     * Reads values written by {@link #write(DataOutput)} into a new buffer of this buffer's kind, data type and
     * dimension; this buffer is not changed, so a caller can read everything before it changes anything.
     *
     * @param in   source
     * @param what what the vector is, for messages
     * @return the new buffer
     * @throws IOException if the dimension differs or values are missing
     */
    public final VectorBuffer readCopy(StateReader in, String what) throws IOException {
        in.readInt("dimension of " + what, dim, dim);
        double[] v = in.readDoubles(what, dim);
        VectorBuffer b = newZero();
        b.setFrom(v);
        return b;
    }

    /**
     * @param other another buffer
     * @return true if both have the same implementation, data type and dimension
     */
    public final boolean sameShape(VectorBuffer other) {
        return other.getClass() == getClass() && other.dim == dim && other.dataType() == dataType();
    }

    /** @return e.g. "16 FLOAT values (ND4J)" */
    public final String describe() {
        return dim + " " + dataType() + " values (" + (this instanceof NdVectorBuffer ? "ND4J" : "double[]") + ")";
    }

    /**
     * Index of the first non-finite element (slow; for error messages).
     *
     * @return the index, or -1 if all are finite
     */
    public int firstNonFinite() {
        return firstNonFinite(toDoubleArray(), 0, dim);
    }

    static int firstNonFinite(double[] v, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (!Double.isFinite(v[off + i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Checks that an input has this buffer's kind and dimension.
     *
     * @param x input
     * @throws IllegalArgumentException on a mismatch
     */
    protected final void checkCompatible(VectorRef x) {
        if (x.dim() != dim) {
            throw new IllegalArgumentException("vector has " + x.dim() + " elements, expected " + dim);
        }
    }
}
