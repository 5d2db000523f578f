package org.dgrab.core.internal.balance;

import java.io.DataOutput;
import java.io.IOException;

import org.dgrab.core.internal.state.StateReader;

/**
 * Builds next epoch's order from signs: a unit with sign +1 takes the next free slot at the front, a unit with
 * sign -1 the next free slot at the back (so the back half ends up in reverse order of arrival). This is the
 * reordering rule shared by GraB, PairBalance and CD-GraB.
 *
 * <p>Call order: {@link #reset(int)}, then exactly {@code m} placements, then {@link #result()}.
 */
public final class OrderBuilder {
    private int[] next = new int[0];
    private int left;
    private int right;

    /**
     * Starts a new order.
     *
     * @param m number of units
     */
    public void reset(int m) {
        if (next.length != m) {
            next = new int[m];
        }
        left = 0;
        right = m - 1;
    }

    /**
     * Places a unit.
     *
     * @param sign +1 for the front, -1 for the back
     * @param unit unit id
     * @throws IllegalStateException if the order is already full
     */
    public void place(int sign, int unit) {
        if (left > right) {
            throw new IllegalStateException("order of " + next.length + " units is already full");
        }
        if (sign > 0) {
            next[left++] = unit;
        } else {
            next[right--] = unit;
        }
    }

    /**
     * Places a balanced pair: the unit whose sign is +1 goes to the front, the other to the back.
     *
     * @param sign  the sign of the difference {@code first - second}
     * @param first the unit visited first
     * @param second the unit visited second
     * @throws IllegalStateException if fewer than two slots are free (nothing is placed then)
     */
    public void placePair(int sign, int first, int second) {
        if (right - left < 1) {
            throw new IllegalStateException("order of " + next.length + " units has " + Math.max(0, right - left + 1)
                    + " free slot(s), a pair needs 2");
        }
        if (sign > 0) {
            place(1, first);
            place(-1, second);
        } else {
            place(1, second);
            place(-1, first);
        }
    }

    /** @return number of units placed so far */
    public int placed() {
        return left + (next.length - 1 - right);
    }

    /** @return true when every slot is filled */
    public boolean isComplete() {
        return left > right;
    }

    /**
     * @return the finished order (the internal array: copy it before the next {@link #reset(int)})
     * @throws IllegalStateException if slots are still free
     */
    public int[] result() {
        if (!isComplete()) {
            throw new IllegalStateException("order incomplete: " + placed() + " of " + next.length + " units placed");
        }
        return next;
    }

    /**
     * Writes the partial order and pointers.
     *
     * @param out sink
     * @throws IOException on failure
     */
    public void write(DataOutput out) throws IOException {
        out.writeInt(next.length);
        out.writeInt(left);
        out.writeInt(right);
        for (int v : next) {
            out.writeInt(v);
        }
    }

    /**
     * Reads what {@link #write} wrote into a new builder, checked against the units visited so far: its filled
     * slots must hold exactly the units visited at steps {@code 0..placed-1} (in any order).
     *
     * @param in      source
     * @param owner   whose order this is, for messages
     * @param visited this epoch's order of the worker, step by step
     * @param placed  how many units the builder must hold
     * @return the builder
     * @throws IOException for a wrong length, pointers out of range, or other units than those visited
     */
    public static OrderBuilder read(StateReader in, String owner, int[] visited, int placed) throws IOException {
        int m = visited.length;
        in.readInt(owner + " next-order length", m, m);
        int left = in.readInt(owner + " next-order front pointer", 0, m);
        int right = in.readInt(owner + " next-order back pointer", left - 1, m - 1);
        int filled = left + (m - 1 - right);
        if (filled != placed) {
            throw in.corrupt(owner + " next order holds " + filled + " units, but " + placed
                    + " were placed at the steps observed");
        }
        int[] next = in.readIntValues(owner + " next order", m);
        boolean[] expected = new boolean[m];
        for (int t = 0; t < placed; t++) {
            expected[visited[t]] = true;
        }
        for (int i = 0; i < m; i++) {
            if (i >= left && i <= right) {
                continue; // a free slot keeps whatever the last epoch left there
            }
            int u = next[i];
            if (u < 0 || u >= m || !expected[u]) {
                throw in.corrupt(owner + " next order has unit " + u + " at slot " + i
                        + ", which is not one of the units visited so far or appears twice");
            }
            expected[u] = false;
        }
        OrderBuilder b = new OrderBuilder();
        b.next = next;
        b.left = left;
        b.right = right;
        return b;
    }
}
