package org.dgrab.core.internal.protocol;

import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.function.Consumer;

import org.dgrab.core.internal.balance.Balancer;
import org.dgrab.core.internal.balance.VectorBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a {@link TreeCoordinator}: a running sum shared by all workers and, per worker, the units that have
 * reached the node but are not balanced yet. Consecutive units of a worker form the node's pair-steps; pair-steps
 * are balanced in the node's own canonical order (pair-step 0 of workers 0..n-1, then pair-step 1, ...), so the
 * signs never depend on which worker's thread delivered a unit first. An inner node sends the unit with the '+'
 * role of each pair (the first unit if the sign is +1, else the second) to its left child and the other to its
 * right child; a leaf places the pair into the worker's slots front/back as {@code OrderBuilder} does.
 *
 * <p>A worker's last unit at a node with an odd count (the lone unit) is not balanced at an inner node: it goes to
 * the left child, so that every node's count per worker is fixed before the epoch starts ({@code ceil(c/2)} left,
 * {@code floor(c/2)} right) and no node ever waits to learn whether more units will come. A leaf balances a lone
 * unit's own vector and places it by its sign into the one slot left in the middle, exactly as CD-GraB does.
 *
 * <p>A pair with a unit that carries no vector (its worker skipped it as non-finite) takes sign +1 and leaves the
 * running sum unchanged, as does a pair whose inner product overflows. Not thread-safe: the coordinator's lock
 * serialises every call. Call order per epoch: {@link #arrive} and {@link #drain} any number of times until
 * {@link #done()}, then {@link #collect} (leaves) and {@link #reset()}.
 */
final class TreeNode {
    private static final Logger log = LoggerFactory.getLogger(TreeNode.class);

    /** A unit at a node: its id and, unless its worker skipped it, a copy of its (sketched) gradient. */
    static final class Unit {
        int id;
        VectorBuffer vec;
        boolean hasVector;
    }

    final int index;
    /** True while the node is at the epoch's last active level (see {@link TreeCoordinator}'s depth schedule). */
    boolean leaf;
    final int[] count;
    final int[] steps;
    final int maxSteps;
    final Balancer balancer;
    TreeNode left;
    TreeNode right;

    int cursorStep;
    int cursorWorker;
    final ArrayDeque<Unit>[] waiting;
    /** Each worker's slots of this leaf's part of the next order, filled from both ends; made when first a leaf. */
    int[][] slots;
    final int[] front;
    final int[] back;

    /**
     * @param index    heap index (root 0, children of {@code i} at {@code 2i+1} and {@code 2i+2})
     * @param count    units of each worker that reach this node per epoch
     * @param balancer the node's running sum
     */
    @SuppressWarnings("unchecked")
    TreeNode(int index, int[] count, Balancer balancer) {
        this.index = index;
        this.count = count.clone();
        this.balancer = balancer;
        int n = count.length;
        this.steps = new int[n];
        int max = 0;
        for (int w = 0; w < n; w++) {
            steps[w] = (count[w] + 1) / 2;
            max = Math.max(max, steps[w]);
        }
        this.maxSteps = max;
        this.waiting = new ArrayDeque[n];
        for (int w = 0; w < n; w++) {
            waiting[w] = new ArrayDeque<>();
        }
        this.front = new int[n];
        this.back = new int[n];
        reset();
    }

    /**
     * Makes the node a leaf or an inner node for the coming epoch; call before {@link #reset()}.
     *
     * @param isLeaf true if the node is at the epoch's last active level
     */
    void setLeaf(boolean isLeaf) {
        leaf = isLeaf;
        if (isLeaf && slots == null) {
            slots = new int[count.length][];
            for (int w = 0; w < count.length; w++) {
                slots[w] = new int[count[w]];
            }
        }
    }

    /** Restarts the running sum, the cursor and the leaf slots for the next epoch. */
    void reset() {
        balancer.reset();
        cursorStep = 0;
        cursorWorker = firstWorkerAt(0);
        for (int w = 0; w < count.length; w++) {
            front[w] = 0;
            back[w] = count[w] - 1;
        }
    }

    /** @return true when every pair-step of the epoch is balanced */
    boolean done() {
        return cursorStep >= maxSteps;
    }

    /**
     * @param w worker
     * @return pair-steps of the worker balanced (or, for a lone unit, passed on) so far this epoch
     */
    int processed(int w) {
        return processed(w, cursorStep, cursorWorker);
    }

    int processed(int w, int step, int worker) {
        return Math.min(steps[w], step + (w < worker ? 1 : 0));
    }

    /**
     * @param w         worker
     * @param processed its pair-steps processed
     * @return units of the worker that have left the waiting queue (sent on or placed)
     */
    int consumed(int w, int processed) {
        boolean loneDone = count[w] % 2 == 1 && processed == steps[w];
        return 2 * processed - (loneDone ? 1 : 0);
    }

    /**
     * @param w         worker
     * @param processed its pair-steps processed at this node
     * @param toRight   true for the right child
     * @return units of the worker this node has sent to that child
     */
    int sentTo(int w, int processed, boolean toRight) {
        boolean loneDone = count[w] % 2 == 1 && processed == steps[w];
        return toRight && loneDone ? processed - 1 : processed;
    }

    /** Queues a unit of worker {@code w}; units of one worker arrive in the order of the parent's pair-steps. */
    void arrive(int w, Unit u) {
        waiting[w].add(u);
    }

    /**
     * Balances pair-steps in canonical order for as long as the next one has all its units here.
     *
     * @param scratch a buffer of the vectors' shape for pair differences
     * @param recycle receives units that have been placed (leaves)
     */
    void drain(VectorBuffer scratch, Consumer<Unit> recycle) {
        while (!done()) {
            int w = cursorWorker;
            int j = cursorStep;
            boolean lone = count[w] % 2 == 1 && j == steps[w] - 1;
            ArrayDeque<Unit> q = waiting[w];
            if (q.size() < (lone ? 1 : 2)) {
                return;
            }
            if (lone) {
                Unit a = q.poll();
                if (leaf) {
                    int s = a.hasVector ? sign(a.vec, w, j) : 1;
                    place(w, s, a.id);
                    recycle.accept(a);
                } else {
                    left.arrive(w, a);
                }
            } else {
                Unit a = q.poll();
                Unit b = q.poll();
                int s = 1;
                if (a.hasVector && b.hasVector) {
                    // assign + addScaled(-1) rounds exactly like a - b, so depth 0 matches CD-GraB bit for bit.
                    scratch.assign(a.vec);
                    scratch.addScaled(-1.0, b.vec);
                    s = sign(scratch, w, j);
                }
                if (leaf) {
                    place(w, 1, s > 0 ? a.id : b.id);
                    place(w, -1, s > 0 ? b.id : a.id);
                    recycle.accept(a);
                    recycle.accept(b);
                } else {
                    left.arrive(w, s > 0 ? a : b);
                    right.arrive(w, s > 0 ? b : a);
                }
            }
            advance();
        }
    }

    private int sign(VectorBuffer d, int w, int j) {
        int s = balancer.balance(d);
        if (s == Balancer.NOT_FINITE) {
            // Workers check their vectors before sending, so this is an overflow of the inner product.
            log.warn("inner product at tree node {} for worker {} pair-step {} is not finite; sign +1, running sum "
                    + "unchanged", index, w, j);
            return 1;
        }
        return s;
    }

    private void place(int w, int s, int unit) {
        if (s > 0) {
            slots[w][front[w]++] = unit;
        } else {
            slots[w][back[w]--] = unit;
        }
    }

    private void advance() {
        for (int w = cursorWorker + 1; w < count.length; w++) {
            if (cursorStep < steps[w]) {
                cursorWorker = w;
                return;
            }
        }
        cursorStep++;
        cursorWorker = firstWorkerAt(cursorStep);
    }

    /** @return the first worker with pair-step {@code j} here, or 0 if none has (the node is then done) */
    private int firstWorkerAt(int j) {
        for (int w = 0; w < count.length; w++) {
            if (j < steps[w]) {
                return w;
            }
        }
        return 0;
    }

    /**
     * Copies a leaf's finished part of a worker's next order.
     *
     * @param w      worker
     * @param dest   the worker's next order
     * @param offset where this leaf's part starts
     * @return the offset after this leaf's part
     */
    int collect(int w, int[] dest, int offset) {
        System.arraycopy(slots[w], 0, dest, offset, count[w]);
        return offset + count[w];
    }

    /**
     * Writes cursor, running sum, waiting units and (leaves) the filled slots.
     *
     * @param out sink
     * @throws IOException on failure
     */
    void write(DataOutput out) throws IOException {
        out.writeInt(cursorStep);
        out.writeInt(cursorWorker);
        balancer.write(out);
        for (int w = 0; w < count.length; w++) {
            out.writeInt(waiting[w].size());
            for (Unit u : waiting[w]) {
                out.writeInt(u.id);
                out.writeBoolean(u.hasVector);
                if (u.hasVector) {
                    u.vec.write(out);
                }
            }
            if (leaf) {
                out.writeInt(front[w]);
                out.writeInt(back[w]);
                for (int i = 0; i < count[w]; i++) {
                    if (i < front[w] || i > back[w]) {
                        out.writeInt(slots[w][i]);
                    }
                }
            }
        }
    }
}
