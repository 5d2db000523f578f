package org.dgrab.dl4j.internal.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** {@link ModelAdapter} of a {@link MultiLayerNetwork}: one input, one output, layers keyed by index. */
final class MultiLayerNetworkAdapter extends ModelAdapter {
    private final MultiLayerNetwork net;

    MultiLayerNetworkAdapter(MultiLayerNetwork net) {
        super(initialised(net), net.getLayer(0).conf());
        this.net = net;
    }

    private static MultiLayerNetwork initialised(MultiLayerNetwork net) {
        if (net.params() == null || net.getLayers() == null) {
            throw new IllegalArgumentException("MultiLayerNetwork is not initialised; call net.init() first");
        }
        return net;
    }

    @Override
    public boolean isGraph() {
        return false;
    }

    @Override
    Layer[] layers() {
        return net.getLayers();
    }

    @Override
    int inputCount() {
        return 1;
    }

    @Override
    int outputCount() {
        return 1;
    }

    @Override
    public Collection<TrainingListener> listeners() {
        Collection<TrainingListener> l = net.getListeners();
        return l == null ? List.of() : new ArrayList<>(l);
    }

    @Override
    public void setBatch(DataSet b) {
        net.setInput(b.getFeatures());
        net.setLabels(b.getLabels());
        if (b.getFeaturesMaskArray() != null || b.getLabelsMaskArray() != null) {
            net.setLayerMaskArrays(b.getFeaturesMaskArray(), b.getLabelsMaskArray());
        } else {
            net.clearLayerMaskArrays();
        }
    }

    @Override
    public void setBatch(MultiDataSet b) {
        if (b.numFeatureArrays() != 1 || b.numLabelsArrays() != 1) {
            throw new IllegalArgumentException("a MultiLayerNetwork takes one features and one labels array, got "
                    + b.numFeatureArrays() + " and " + b.numLabelsArrays());
        }
        setBatch(new org.nd4j.linalg.dataset.DataSet(b.getFeatures(0), b.getLabels(0),
                b.getFeaturesMaskArray(0), b.getLabelsMaskArray(0)));
    }

    @Override
    public INDArray gradientView() {
        if (net.getFlattenedGradients() == null) {
            // DL4J allocates the gradient array on the first backward pass.
            net.initGradientsView();
        }
        return net.getFlattenedGradients();
    }

    @Override
    Gradient buildViewGradient(INDArray view) {
        DefaultGradient g = new DefaultGradient(view);
        Layer[] layers = net.getLayers();
        for (int i = 0; i < layers.length; i++) {
            addLayerViews(g, String.valueOf(i), layers[i]);
        }
        return g;
    }

    @Override
    public void takeBatchOf(ModelAdapter other) {
        MultiLayerNetwork o = (MultiLayerNetwork) other.model();
        net.setInput(o.getInput());
        net.setLabels(o.getLabels());
    }

    @Override
    void setModelGradient(Gradient g) {
        net.setGradient(g);
    }

    @Override
    void runUpdater(Gradient g, int iteration, int epoch, int batchSize) {
        net.getUpdater().update(net, g, iteration, epoch, batchSize, LayerWorkspaceMgr.noWorkspaces());
    }

    @Override
    void applyConstraints(int iteration, int epoch) {
        net.applyConstraints(iteration, epoch);
    }

    @Override
    void incrementEpoch() {
        net.incrementEpochCount();
    }

    @Override
    public ModelAdapter replica() {
        MultiLayerNetwork c = net.clone();
        c.setListeners(new ArrayList<TrainingListener>());
        return new MultiLayerNetworkAdapter(c);
    }

    @Override
    public ModelAdapter sharingReplica() {
        MultiLayerNetwork c = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
        c.init(net.params(), false);
        return new MultiLayerNetworkAdapter(c);
    }

    @Override
    void setCounts(int iteration, int epoch) {
        net.setIterationCount(iteration);
        net.setEpochCount(epoch);
    }

    @Override
    public void setScore(double score) {
        net.setScore(score);
    }

    @Override
    public int batchSize() {
        return net.batchSize();
    }

    @Override
    Model restore(InputStream in) throws IOException {
        return ModelSerializer.restoreMultiLayerNetwork(in, true);
    }

    @Override
    String configurationJson(Model m) {
        return ((MultiLayerNetwork) m).getLayerWiseConfigurations().toJson();
    }

    @Override
    INDArray updaterState(Model m, boolean create) {
        Updater u = ((MultiLayerNetwork) m).getUpdater(create);
        return u == null ? null : u.getStateViewArray();
    }
}
