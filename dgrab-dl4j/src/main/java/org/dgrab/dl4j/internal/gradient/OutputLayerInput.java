package org.dgrab.dl4j.internal.gradient;

import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where an {@link OutputLayerCapture} finds the output layer's input among the activations a forward pass reports:
 * a {@code MultiLayerNetwork} reports a list whose last entry it is, a {@code ComputationGraph} a map in which it is
 * the activation of one named vertex. One type per model family, so that a capture knows which it serves without a
 * vertex name that is null for networks, and a forward pass of the other family is refused by name.
 */
sealed interface OutputLayerInput {

    /**
     * @param activations what {@code TrainingListener.onForwardPass(Model, List)} received
     * @return the output layer's input
     * @throws IllegalStateException if the capture belongs to a ComputationGraph
     */
    INDArray of(List<INDArray> activations);

    /**
     * @param activations what {@code TrainingListener.onForwardPass(Model, Map)} received
     * @return the output layer's input
     * @throws IllegalStateException if the capture belongs to a MultiLayerNetwork, or the map lacks the vertex
     */
    INDArray of(Map<String, INDArray> activations);

    /** A MultiLayerNetwork's output layer: its input is the last activation before it. */
    record LastActivation() implements OutputLayerInput {
        @Override
        public INDArray of(List<INDArray> activations) {
            return activations.get(activations.size() - 1);
        }

        @Override
        public INDArray of(Map<String, INDArray> activations) {
            throw new IllegalStateException("this capture belongs to a MultiLayerNetwork; forward the activations list");
        }
    }

    /**
     * A ComputationGraph's output vertex: its input is the activation of its single input vertex.
     *
     * @param vertex the name of that input vertex
     */
    record Vertex(String vertex) implements OutputLayerInput {
        @Override
        public INDArray of(List<INDArray> activations) {
            throw new IllegalStateException("this capture belongs to a ComputationGraph; forward the activations map");
        }

        @Override
        public INDArray of(Map<String, INDArray> activations) {
            INDArray a = activations.get(vertex);
            if (a == null) {
                throw new IllegalStateException("the forward pass reported no activation of vertex '" + vertex
                        + "', the output layer's input");
            }
            return a;
        }
    }
}
