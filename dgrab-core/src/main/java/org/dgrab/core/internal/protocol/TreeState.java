package org.dgrab.core.internal.protocol;

import java.io.IOException;
import java.util.ArrayDeque;

import org.dgrab.core.internal.balance.VectorBuffer;
import org.dgrab.core.internal.state.StateReader;

/**
 * The nodes of a {@link TreeCoordinator} read from a checkpoint and checked, not yet applied. Reading changes no
 * node, so a restore that fails leaves the tree as it was.
 *
 * <p>The checks make sure the tree can run on to the end of the epoch without waiting for a unit that never comes
 * and without overfilling a leaf: every cursor is a real canonical position of its node; each worker's waiting
 * units at a node are exactly as many as the parent has sent there (the root: as many as the worker has handed
 * in) minus those the node has consumed, and the root's are the worker's next units in step order; a leaf holds as
 * many placed units as it has consumed; and every unit a worker has handed in is in exactly one place (waiting at
 * one node or placed in one leaf). Immutable once read.
 */
final class TreeState {
    private final int[] cursorStep;
    private final int[] cursorWorker;
    private final Runnable[] balancers;
    private final ArrayDeque<TreeNode.Unit>[][] waiting;
    private final int[][] front;
    private final int[][] back;
    private final int[][][] slots;

    @SuppressWarnings("unchecked")
    private TreeState(int size, int n) {
        cursorStep = new int[size];
        cursorWorker = new int[size];
        balancers = new Runnable[size];
        waiting = new ArrayDeque[size][n];
        front = new int[size][];
        back = new int[size][];
        slots = new int[size][][];
    }

    /**
     * @param firstLeaf   heap index of the epoch's first leaf
     * @param activeNodes nodes in use in the epoch (those after are idle: nothing reaches them)
     */
    static TreeState read(StateReader in, TreeNode[] nodes, int firstLeaf, int activeNodes, VectorBuffer prototype,
            int[][] orders, int[] submitted) throws IOException {
        int n = orders.length;
        TreeState s = new TreeState(nodes.length, n);
        int[][] position = new int[n][];
        boolean[][] seen = new boolean[n][];
        int[] found = new int[n];
        for (int w = 0; w < n; w++) {
            position[w] = new int[orders[w].length];
            for (int t = 0; t < orders[w].length; t++) {
                position[w][orders[w][t]] = t;
            }
            seen[w] = new boolean[orders[w].length];
        }
        for (int i = 0; i < nodes.length; i++) {
            TreeNode node = nodes[i];
            String who = "tree node " + i;
            int step = in.readInt(who + " cursor pair-step", 0, node.maxSteps);
            int worker = in.readInt(who + " cursor worker", 0, n - 1);
            if (step < node.maxSteps ? step >= node.steps[worker] : worker != 0) {
                throw in.corrupt(who + " cursor is at pair-step " + step + " of worker " + worker + ", which is not a "
                        + "pair-step of the node (" + node.maxSteps + " pair-steps at most)");
            }
            s.cursorStep[i] = step;
            s.cursorWorker[i] = worker;
            s.balancers[i] = node.balancer.read(in, prototype, who);
            boolean leaf = i >= firstLeaf && i < activeNodes;
            if (leaf) {
                s.front[i] = new int[n];
                s.back[i] = new int[n];
                s.slots[i] = new int[n][];
            }
            for (int w = 0; w < n; w++) {
                int processed = node.processed(w, step, worker);
                int consumed = node.consumed(w, processed);
                int arrived;
                if (i == 0) {
                    arrived = submitted[w];
                } else if (i >= activeNodes) {
                    arrived = 0;
                } else {
                    int p = (i - 1) / 2;
                    TreeNode parent = nodes[p];
                    arrived = parent.sentTo(w, parent.processed(w, s.cursorStep[p], s.cursorWorker[p]), i % 2 == 0);
                }
                int size = in.readInt(who + " waiting units of worker " + w, 0, Integer.MAX_VALUE);
                if (size != arrived - consumed) {
                    throw in.corrupt(who + " has " + size + " waiting units of worker " + w + ", but " + arrived
                            + " arrived and " + consumed + " were balanced");
                }
                ArrayDeque<TreeNode.Unit> q = new ArrayDeque<>();
                for (int k = 0; k < size; k++) {
                    TreeNode.Unit u = new TreeNode.Unit();
                    u.id = unit(in, who + " waiting unit of worker " + w, w, position, submitted, seen);
                    if (i == 0 && position[w][u.id] != consumed + k) {
                        throw in.corrupt(who + " has unit " + u.id + " of worker " + w + " waiting in place " + k
                                + ", but the worker visited it at step " + position[w][u.id] + ", not " + (consumed + k));
                    }
                    u.hasVector = in.readBoolean(who + " waiting unit has a vector");
                    if (u.hasVector) {
                        if (prototype == null) {
                            throw in.corrupt(who + " holds a vector, but the checkpoint records no input");
                        }
                        u.vec = prototype.readCopy(in, who + " vector of unit " + u.id);
                    }
                    q.add(u);
                }
                s.waiting[i][w] = q;
                found[w] += size;
                if (leaf) {
                    int c = node.count[w];
                    int f = in.readInt(who + " front pointer of worker " + w, 0, c);
                    int b = in.readInt(who + " back pointer of worker " + w, f - 1, c - 1);
                    int filled = f + (c - 1 - b);
                    if (filled != consumed) {
                        throw in.corrupt(who + " has placed " + filled + " units of worker " + w + ", but balanced "
                                + consumed);
                    }
                    int[] sl = new int[c];
                    for (int k = 0; k < c; k++) {
                        if (k < f || k > b) {
                            sl[k] = unit(in, who + " placed unit of worker " + w, w, position, submitted, seen);
                        }
                    }
                    s.front[i][w] = f;
                    s.back[i][w] = b;
                    s.slots[i][w] = sl;
                    found[w] += filled;
                }
            }
        }
        for (int w = 0; w < n; w++) {
            if (found[w] != submitted[w]) {
                throw in.corrupt("the tree holds " + found[w] + " units of worker " + w + ", but the worker handed in "
                        + submitted[w]);
            }
        }
        return s;
    }

    /** Reads a unit id that must be one the worker has handed in and that has not been seen anywhere else. */
    private static int unit(StateReader in, String what, int w, int[][] position, int[] submitted, boolean[][] seen)
            throws IOException {
        int id = in.readInt(what, 0, position[w].length - 1);
        if (position[w][id] >= submitted[w] || seen[w][id]) {
            throw in.corrupt(what + " is unit " + id + ", which " + (seen[w][id] ? "is in the tree twice"
                    : "the worker has not handed in yet (step " + position[w][id] + ")"));
        }
        seen[w][id] = true;
        return id;
    }

    /** Installs the state; cannot fail. */
    void apply(TreeNode[] nodes) {
        for (int i = 0; i < nodes.length; i++) {
            TreeNode node = nodes[i];
            node.cursorStep = cursorStep[i];
            node.cursorWorker = cursorWorker[i];
            balancers[i].run();
            for (int w = 0; w < node.count.length; w++) {
                node.waiting[w].clear();
                node.waiting[w].addAll(waiting[i][w]);
                if (node.leaf) {
                    // Slots left free keep what they held: they are never read before being filled.
                    node.front[w] = front[i][w];
                    node.back[w] = back[i][w];
                    System.arraycopy(slots[i][w], 0, node.slots[w], 0, node.count[w]);
                }
            }
        }
    }
}
