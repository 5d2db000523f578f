package org.dgrab.dl4j.iterator;

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
