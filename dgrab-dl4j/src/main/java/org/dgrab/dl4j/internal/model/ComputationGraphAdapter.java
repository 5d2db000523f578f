package org.dgrab.dl4j.internal.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** {@link ModelAdapter} of a {@link ComputationGraph}: any number of inputs and outputs, layers keyed by name. */
final class ComputationGraphAdapter extends ModelAdapter {
    private final ComputationGraph graph;

    ComputationGraphAdapter(ComputationGraph graph) {
        super(initialised(graph), graph.getLayers()[0].conf());
        this.graph = graph;
    }

    private static ComputationGraph initialised(ComputationGraph graph) {
        if (graph.params() == null || graph.getLayers() == null) {
            throw new IllegalArgumentException("ComputationGraph is not initialised; call graph.init() first");
        }
        return graph;
    }

    @Override
    public boolean isGraph() {
        return true;
    }

    @Override
    Layer[] layers() {
        return graph.getLayers();
    }

    @Override
    int inputCount() {
        return graph.getConfiguration().getNetworkInputs().size();
    }

    @Override
    int outputCount() {
        return graph.getConfiguration().getNetworkOutputs().size();
    }

    @Override
    public Collection<TrainingListener> listeners() {
        Collection<TrainingListener> l = graph.getListeners();
        return l == null ? List.of() : new ArrayList<>(l);
    }

    @Override
    public void setBatch(DataSet b) {
        graph.setInputs(b.getFeatures());
        graph.setLabels(b.getLabels());
        if (b.getFeaturesMaskArray() != null || b.getLabelsMaskArray() != null) {
            graph.setLayerMaskArrays(b.getFeaturesMaskArray() == null ? null : new INDArray[] {b.getFeaturesMaskArray()},
                    b.getLabelsMaskArray() == null ? null : new INDArray[] {b.getLabelsMaskArray()});
        } else {
            graph.clearLayerMaskArrays();
        }
    }

    @Override
    public void setBatch(MultiDataSet b) {
        graph.setInputs(b.getFeatures());
        graph.setLabels(b.getLabels());
        if (b.hasMaskArrays()) {
            graph.setLayerMaskArrays(b.getFeaturesMaskArrays(), b.getLabelsMaskArrays());
        } else {
            graph.clearLayerMaskArrays();
        }
    }

    @Override
    public INDArray gradientView() {
        if (graph.getFlattenedGradients() == null) {
            // DL4J allocates the gradient array on the first backward pass.
            graph.initGradientsView();
        }
        return graph.getFlattenedGradients();
    }

    @Override
    Gradient buildViewGradient(INDArray view) {
        DefaultGradient g = new DefaultGradient(view);
        for (Layer l : graph.getLayers()) {
            addLayerViews(g, l.conf().getLayer().getLayerName(), l);
        }
        return g;
    }

    @Override
    public void takeBatchOf(ModelAdapter other) {
        // A graph's batch size is that of its inputs (and it has no getter for its labels).
        graph.setInputs(((ComputationGraph) other.model()).getInputs());
    }

    @Override
    void setModelGradient(Gradient g) {
        graph.setGradient(g);
    }

    @Override
    void runUpdater(Gradient g, int iteration, int epoch, int batchSize) {
        graph.getUpdater().update(g, iteration, epoch, batchSize, LayerWorkspaceMgr.noWorkspaces());
    }

    @Override
    void applyConstraints(int iteration, int epoch) {
        graph.applyConstraints(iteration, epoch);
    }

    @Override
    void incrementEpoch() {
        graph.incrementEpochCount();
    }

    @Override
    public ModelAdapter replica() {
        // What ComputationGraph.clone() does, except that clone() hands the copy the original's listener collection
        // itself: clearing the copy's listeners would then remove the trained model's.
        ComputationGraph c = new ComputationGraph(graph.getConfiguration().clone());
        c.init(graph.params().dup(), false);
        ComputationGraphUpdater updater = graph.getUpdater(false);
        if (updater != null && updater.getStateViewArray() != null) {
            c.getUpdater().setStateViewArray(updater.getStateViewArray().dup());
        }
        for (GraphVertex v : graph.getVertices()) {
            if (v.hasLayer() && v.getLayer() instanceof FrozenLayer) {
                c.getVertex(v.getVertexName()).setLayerAsFrozen();
            }
        }
        return new ComputationGraphAdapter(c);
    }

    @Override
    public ModelAdapter sharingReplica() {
        ComputationGraph c = new ComputationGraph(graph.getConfiguration().clone());
        c.init(graph.params(), false);
        return new ComputationGraphAdapter(c);
    }

    @Override
    void setCounts(int iteration, int epoch) {
        graph.getConfiguration().setIterationCount(iteration);
        graph.getConfiguration().setEpochCount(epoch);
    }

    @Override
    public void setScore(double score) {
        graph.setScore(score);
    }

    @Override
    public int batchSize() {
        return graph.batchSize();
    }

    @Override
    Model restore(InputStream in) throws IOException {
        return ModelSerializer.restoreComputationGraph(in, true);
    }

    @Override
    String configurationJson(Model m) {
        return ((ComputationGraph) m).getConfiguration().toJson();
    }

    @Override
    INDArray updaterState(Model m, boolean create) {
        ComputationGraphUpdater u = ((ComputationGraph) m).getUpdater(create);
        return u == null ? null : u.getStateViewArray();
    }
}
