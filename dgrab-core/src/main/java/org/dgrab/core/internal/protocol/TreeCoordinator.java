package org.dgrab.core.internal.protocol;

import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;

import org.dgrab.core.internal.balance.Balancer;
import org.dgrab.core.balance.SignRule;
import org.dgrab.core.internal.balance.VectorBuffer;
import org.dgrab.core.internal.balance.VectorRef;
import org.dgrab.core.internal.random.Seeds;
import org.dgrab.core.internal.state.StateReader;

/**
 * The coordinator of recursive CD-GraB: a complete binary tree of depth {@code D} of {@link TreeNode}s, each with
 * a running sum shared by all workers. Workers hand in their units pair by pair ({@link #submitPair},
 * {@link #submitLone}); the root balances the pairs, sends the '+' unit of each to its left child and the other to
 * its right child, where consecutive units of a worker are paired and balanced again, down to the leaves, which
 * place units front/back. A worker's next order is its leaves' parts concatenated from left to right
 * ({@link #nextOrder}). Depth 0 is CD-GraB: one node, which is a leaf.
 *
 * <p>Every node balances in its own canonical order (pair-step, then worker) and children receive a worker's units
 * in the order of the parent's pair-steps, so orders are the same whatever the thread timing. Thread-safe: every
 * public method takes the one lock; a submit balances whatever has become balanceable, so training never waits.
 *
 * <p>Communication is counted as a network would carry it: one report per pair (at depth 0 the pair difference,
 * as CD-GraB sends; deeper trees need both vectors, since each unit travels on alone below the root), and one
 * reply per worker and epoch with one sign bit per pair-step the worker has at any node.
 *
 * <p>Call order per epoch: submits of every unit of every worker (each worker's in step order), then
 * {@link #nextOrder} per worker, then {@link #startEpoch(int)}.
 */
public final class TreeCoordinator {
    private final int[] units;
    private final int depth;
    private final TreeNode[] nodes;
    private int active;
    private int firstLeaf;
    private int activeNodes;
    private final CommunicationStats stats = new CommunicationStats();
    private final ArrayDeque<TreeNode.Unit> pool = new ArrayDeque<>();
    private final Object lock = new Object();
    private VectorBuffer shape;
    private VectorBuffer scratch;

    /**
     * @param unitsPerWorker units of each worker, each {@code >= 1}
     * @param depth          tree depth {@code D >= 0}: {@code 2^(D+1) - 1} nodes, {@code 2^D} leaves
     * @param rule           sign rule of every node
     * @param seed           the configuration's seed (node 0 uses CD-GraB's coordinator stream)
     */
    public TreeCoordinator(int[] unitsPerWorker, int depth, SignRule rule, long seed) {
        if (unitsPerWorker == null || unitsPerWorker.length == 0) {
            throw new IllegalArgumentException("tree coordinator needs at least one worker");
        }
        if (depth < 0 || depth > 30) {
            throw new IllegalArgumentException("tree depth must be in [0, 30], got " + depth);
        }
        this.units = unitsPerWorker.clone();
        this.depth = depth;
        int n = units.length;
        int size = (1 << (depth + 1)) - 1;
        this.nodes = new TreeNode[size];
        int[][] count = new int[size][];
        count[0] = units.clone();
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                int[] c = count[(i - 1) / 2];
                boolean right = i % 2 == 0;
                count[i] = new int[n];
                for (int w = 0; w < n; w++) {
                    count[i][w] = right ? c[w] / 2 : (c[w] + 1) / 2;
                }
            }
            nodes[i] = new TreeNode(i, count[i], new Balancer(rule, Seeds.treeNodeSigns(seed, i)));
        }
        for (int i = 0; 2 * i + 2 < size; i++) {
            nodes[i].left = nodes[2 * i + 1];
            nodes[i].right = nodes[2 * i + 2];
        }
        startEpoch(0);
    }

    /**
     * The depth schedule: the levels in use in an epoch, halved each epoch ({@code D, D/2, D/4, ..., 0}). A deep
     * tree pays off while the incoming order is badly balanced (the random start): it divides the herding bound
     * by about {@code 2^(D+1)} in one epoch. Once the order is balanced, each extra level only adds its own
     * discrepancy, so the tree hands over to depth 0, CD-GraB, whose fixed point is the lowest (measured in
     * docs/benchmarks.md), and whose reports carry one vector per pair instead of two.
     *
     * @param maxDepth the configured depth
     * @param epoch    epoch
     * @return the depth of the epoch's tree, in {@code [0, maxDepth]}
     */
    public static int activeDepth(int maxDepth, int epoch) {
        return epoch >= 31 ? 0 : maxDepth >> epoch;
    }

    /** @return the depth of this epoch's tree, {@link #activeDepth(int, int)} */
    public int activeDepth() {
        synchronized (lock) {
            return active;
        }
    }

    /** @return the tree depth */
    public int depth() {
        return depth;
    }

    /** @return number of nodes, {@code 2^(D+1) - 1} */
    public int nodeCount() {
        return nodes.length;
    }

    /** @return the live counters of messages and bytes, by direction */
    public CommunicationStats stats() {
        return stats;
    }

    /**
     * Sets the shape of every vector to come (first gradient or restore); drops pooled buffers of another shape.
     *
     * @param prototype a zero vector of the balanced shape
     */
    public void setShape(VectorBuffer prototype) {
        synchronized (lock) {
            shape = prototype.newZero();
            scratch = prototype.newZero();
            pool.clear();
        }
    }

    /**
     * Hands in a worker's next pair (its steps {@code 2k, 2k+1}); the vectors are copied.
     *
     * @param w     worker
     * @param first unit at step {@code 2k}
     * @param a     its vector, or null if the worker skipped the pair (then {@code b} is ignored)
     * @param second unit at step {@code 2k+1}
     * @param b     its vector
     */
    public void submitPair(int w, int first, VectorBuffer a, int second, VectorRef b) {
        synchronized (lock) {
            TreeNode root = nodes[0];
            TreeNode.Unit ua = obtain(first, a != null);
            TreeNode.Unit ub = obtain(second, a != null);
            if (a != null) {
                ua.vec.assign(a);
                ub.vec.assign(b);
            }
            root.arrive(w, ua);
            root.arrive(w, ub);
            int vectors = a == null ? 0 : active == 0 ? 1 : 2;
            stats.countReport(PairReport.HEADER_BYTES + vectors * wireBytes());
            drain();
        }
    }

    /**
     * Hands in a worker's last unit when it has an odd number of units.
     *
     * @param w    worker
     * @param unit the unit
     * @param x    its vector, or null if the worker skipped it
     */
    public void submitLone(int w, int unit, VectorRef x) {
        synchronized (lock) {
            TreeNode.Unit u = obtain(unit, x != null);
            if (x != null) {
                u.vec.assign(x);
            }
            nodes[0].arrive(w, u);
            stats.countReport(PairReport.HEADER_BYTES + (x == null ? 0 : wireBytes()));
            drain();
        }
    }

    private long wireBytes() {
        return (long) shape.dim() * shape.bytesPerElement();
    }

    private TreeNode.Unit obtain(int id, boolean vector) {
        TreeNode.Unit u = pool.poll();
        if (u == null) {
            u = new TreeNode.Unit();
            u.vec = vector ? shape.newZero() : null;
        } else if (!vector) {
            pool.push(u); // keep the buffer for a unit that needs one
            u = new TreeNode.Unit();
        }
        u.id = id;
        u.hasVector = vector;
        return u;
    }

    private void recycle(TreeNode.Unit u) {
        if (u.vec != null && shape != null && u.vec.sameShape(shape)) {
            pool.push(u);
        }
    }

    /** Parents come before children in heap order, so one pass moves everything as far down as it can go. */
    private void drain() {
        for (int i = 0; i < activeNodes; i++) {
            nodes[i].drain(scratch, this::recycle);
        }
    }

    /** @return true when every node has balanced every pair-step of the epoch */
    public boolean complete() {
        synchronized (lock) {
            drain();
            for (int i = 0; i < activeNodes; i++) {
                if (!nodes[i].done()) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Hands a worker its next order (counted as one reply of sign bits).
     *
     * @param w    worker
     * @param dest the worker's next order, of its length
     * @throws IllegalStateException if the epoch is not complete
     */
    public void nextOrder(int w, int[] dest) {
        synchronized (lock) {
            if (!complete()) {
                throw new IllegalStateException("the tree has not balanced every unit of the epoch: " + describeMissing());
            }
            int offset = 0;
            long signBits = 0;
            for (int i = 0; i < activeNodes; i++) {
                signBits += nodes[i].steps[w];
                if (i >= firstLeaf) {
                    offset = nodes[i].collect(w, dest, offset);
                }
            }
            stats.countReply(SignReply.HEADER_BYTES + (signBits + 7) / 8);
        }
    }

    /**
     * Restarts every running sum and cursor and sets the levels in use for an epoch.
     *
     * @param epoch the epoch that starts
     */
    public void startEpoch(int epoch) {
        synchronized (lock) {
            setActive(activeDepth(depth, epoch));
            for (TreeNode node : nodes) {
                node.reset();
            }
        }
    }

    private void setActive(int d) {
        active = d;
        firstLeaf = (1 << d) - 1;
        activeNodes = (1 << (d + 1)) - 1;
        for (int i = 0; i < nodes.length; i++) {
            nodes[i].setLeaf(i >= firstLeaf && i < activeNodes);
            if (i >= activeNodes) {
                // The schedule never deepens again: an idle node's sum would only hold memory.
                nodes[i].balancer.release();
            }
        }
    }

    /** @return the first node that is not done and what it waits for, for error messages */
    public String describeMissing() {
        synchronized (lock) {
            for (int i = 0; i < activeNodes; i++) {
                TreeNode node = nodes[i];
                if (!node.done()) {
                    return "tree node " + node.index + " waits for pair-step " + node.cursorStep + " of worker "
                            + node.cursorWorker;
                }
            }
            return "every node is done";
        }
    }

    /**
     * Writes every node and the communication counters.
     *
     * @param out sink
     * @throws IOException on failure
     */
    public void write(DataOutput out) throws IOException {
        synchronized (lock) {
            out.writeInt(depth);
            for (TreeNode node : nodes) {
                node.write(out);
            }
            out.writeLong(stats.reports());
            out.writeLong(stats.reportBytes());
            out.writeLong(stats.replies());
            out.writeLong(stats.replyBytes());
        }
    }

    /**
     * Reads what {@link #write} wrote without changing this tree and checks that it is a state the tree can run
     * on from: see {@link TreeState}.
     *
     * @param in        source
     * @param prototype a zero vector of the checkpoint's shape, or null if it records no input
     * @param epoch     the checkpoint's epoch, which sets the levels in use
     * @param orders    each worker's order of the epoch
     * @param submitted units each worker has handed in so far this epoch
     * @return the action that applies the state; it cannot fail
     * @throws IOException for anything malformed or inconsistent, naming the field and the byte
     */
    public Runnable read(StateReader in, VectorBuffer prototype, int epoch, int[][] orders, int[] submitted)
            throws IOException {
        in.readInt("tree depth", depth, depth);
        int d = activeDepth(depth, epoch);
        TreeState s = TreeState.read(in, nodes, (1 << d) - 1, (1 << (d + 1)) - 1, prototype, orders, submitted);
        long[] counters = new long[4];
        String[] names = {"reports sent", "report bytes", "replies sent", "reply bytes"};
        for (int i = 0; i < counters.length; i++) {
            counters[i] = in.readCount(names[i]);
        }
        return () -> {
            synchronized (lock) {
                setActive(d);
                s.apply(nodes);
                pool.clear();
                stats.setAll(counters);
            }
        };
    }
}
