package org.dgrab.spark;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The trained model as DL4J's Spark training holds it: {@code SparkDl4jMultiLayer} for a {@link MultiLayerNetwork},
 * {@code SparkComputationGraph} for a {@link ComputationGraph}. The two share no interface for fitting, so the
 * trainer talks to this one instead of keeping one field per kind.
 *
 * @param fit      trains a window of in-memory units, one partition per worker
 * @param fitPaths trains a window of exported {@code DataSet} file paths, one partition per worker, with the loader
 *                 that opens a file on an executor
 */
record SparkNetwork(Consumer<JavaRDD<DataSet>> fit, BiConsumer<JavaRDD<String>, DataSetLoader> fitPaths) {
    /**
     * Wraps a model in DL4J's Spark training for it, with the given listeners.
     *
     * @param sc        the context
     * @param model     a {@link MultiLayerNetwork} or {@link ComputationGraph} (the builder checked which)
     * @param tm        the training master
     * @param listeners the listeners the Spark network reports to
     * @return the Spark network
     */
    static SparkNetwork of(JavaSparkContext sc, Model model, TrainingMaster<?, ?> tm, List<TrainingListener> listeners) {
        if (model instanceof MultiLayerNetwork net) {
            SparkDl4jMultiLayer s = new SparkDl4jMultiLayer(sc, net, tm);
            s.setListeners(listeners);
            return new SparkNetwork(s::fit, s::fitPaths);
        }
        SparkComputationGraph s = new SparkComputationGraph(sc, (ComputationGraph) model, tm);
        s.setListeners(listeners);
        return new SparkNetwork(s::fit, s::fitPaths);
    }
}
