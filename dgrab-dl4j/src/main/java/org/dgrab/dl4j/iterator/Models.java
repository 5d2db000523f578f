package org.dgrab.dl4j.iterator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What the drop-in iterators need of a DL4J model whatever its type: its listeners and its current input. */
final class Models {
    private Models() {
    }

    /**
     * @param m        a MultiLayerNetwork or ComputationGraph
     * @param listener added to its listeners
     */
    static void addListener(Model m, TrainingListener listener) {
        if (m instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) m).addListeners(listener);
        } else {
            ((ComputationGraph) m).addListeners(listener);
        }
    }

    /**
     * Puts a dgrab listener on the model in place of any other drop-in iterator's: only the iterator that trains the
     * model now may observe it.
     *
     * @param m        a MultiLayerNetwork or ComputationGraph
     * @param listener the listener to attach
     * @return true if another iterator's listener was removed
     */
    static boolean replaceDgrabListener(Model m, GradientListener listener) {
        List<TrainingListener> kept = new ArrayList<>();
        boolean removed = false;
        for (TrainingListener l : listeners(m)) {
            if (l instanceof GradientListener && l != listener) {
                removed = true;
            } else if (l != listener) {
                kept.add(l);
            }
        }
        kept.add(listener);
        if (m instanceof MultiLayerNetwork) {
            ((MultiLayerNetwork) m).setListeners(kept);
        } else {
            ((ComputationGraph) m).setListeners(kept);
        }
        return removed;
    }

    /**
     * @param m a MultiLayerNetwork or ComputationGraph
     * @return the iterations it has trained (DL4J's own counter, saved in its model zips)
     */
    static int iterationCount(Model m) {
        return m instanceof MultiLayerNetwork ? ((MultiLayerNetwork) m).getIterationCount()
                : ((ComputationGraph) m).getIterationCount();
    }

    /**
     * @param m a MultiLayerNetwork or ComputationGraph
     * @return its listeners (empty, never null)
     */
    static Collection<TrainingListener> listeners(Model m) {
        Collection<TrainingListener> l = m instanceof MultiLayerNetwork ? ((MultiLayerNetwork) m).getListeners()
                : ((ComputationGraph) m).getListeners();
        return l == null ? List.of() : l;
    }

    /**
     * @param m a model
     * @return the (first) input array it holds while training on a batch, or null
     */
    static INDArray input(Model m) {
        if (m instanceof MultiLayerNetwork) {
            return ((MultiLayerNetwork) m).getInput();
        }
        if (m instanceof ComputationGraph) {
            INDArray[] in = ((ComputationGraph) m).getInputs();
            return in == null || in.length == 0 ? null : in[0];
        }
        return null;
    }
}
