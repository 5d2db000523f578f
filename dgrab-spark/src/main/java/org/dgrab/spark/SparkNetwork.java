package org.dgrab.spark;

import java.util.List;

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
 */
interface SparkNetwork {
    /** @param window a window of in-memory units, one partition per worker */
    void fit(JavaRDD<DataSet> window);

    /**
     * @param window a window of exported {@code DataSet} file paths, one partition per worker
     * @param loader loads a file on an executor
     */
    void fitPaths(JavaRDD<String> window, DataSetLoader loader);

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
            return new Network(s);
        }
        SparkComputationGraph s = new SparkComputationGraph(sc, (ComputationGraph) model, tm);
        s.setListeners(listeners);
        return new Graph(s);
    }

    /** A {@link MultiLayerNetwork} trained by {@code SparkDl4jMultiLayer}. */
    record Network(SparkDl4jMultiLayer spark) implements SparkNetwork {
        @Override
        public void fit(JavaRDD<DataSet> window) {
            spark.fit(window);
        }

        @Override
        public void fitPaths(JavaRDD<String> window, DataSetLoader loader) {
            spark.fitPaths(window, loader);
        }
    }

    /** A {@link ComputationGraph} trained by {@code SparkComputationGraph}. */
    record Graph(SparkComputationGraph spark) implements SparkNetwork {
        @Override
        public void fit(JavaRDD<DataSet> window) {
            spark.fit(window);
        }

        @Override
        public void fitPaths(JavaRDD<String> window, DataSetLoader loader) {
            spark.fitPaths(window, loader);
        }
    }
}
