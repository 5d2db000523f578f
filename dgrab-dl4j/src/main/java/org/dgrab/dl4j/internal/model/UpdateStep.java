package org.dgrab.dl4j.internal.model;

import java.util.Collection;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.optimize.api.StepFunction;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.deeplearning4j.optimize.stepfunctions.NegativeGradientStepFunction;
import org.deeplearning4j.optimize.stepfunctions.StepFunctions;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One optimiser step on a gradient that is already in the model's gradient array, exactly as DL4J's
 * {@code StochasticGradientDescent.optimize} does it after its own backward pass: listeners'
 * {@code onGradientCalculation}, the model's updater (division by the batch size, gradient normalisation,
 * regularisation, learning rate), the step function, listeners' {@code iterationDone}, the iteration count, and the
 * parameter constraints. Lets the trainer compute the gradient elsewhere (summed over workers, in replicas) and
 * still update the model as {@code fit} would. Stateless apart from the step function; one per model.
 */
final class UpdateStep {
    private final StepFunction stepFunction;

    /**
     * @param conf the model's (first layer's) configuration, which holds the optimisation settings
     * @throws IllegalArgumentException if the model is configured for another algorithm than SGD
     */
    UpdateStep(NeuralNetConfiguration conf) {
        if (conf.getOptimizationAlgo() != OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT) {
            throw new IllegalArgumentException("dgrab trains with stochastic gradient descent; the model is configured for "
                    + conf.getOptimizationAlgo());
        }
        StepFunction sf = conf.getStepFunction() == null ? null : StepFunctions.createStepFunction(conf.getStepFunction());
        // StochasticGradientDescent's default when the configuration names none.
        this.stepFunction = sf != null ? sf : new NegativeGradientStepFunction();
    }

    /**
     * Applies the gradient currently in the adapter's gradient view.
     *
     * @param adapter   the model
     * @param batchSize number of examples the gradient sums over
     */
    void apply(ModelAdapter adapter, int batchSize) {
        Model model = adapter.model();
        Collection<TrainingListener> listeners = adapter.listeners();
        Gradient gradient = adapter.gradient();
        if (model.gradient() != gradient) {
            // The gradient was computed in replicas: listeners such as StatsListener read model.gradient() in
            // onGradientCalculation, and find it as after fit's own backward pass.
            adapter.setModelGradient(gradient);
        }
        for (TrainingListener l : listeners) {
            l.onGradientCalculation(model);
        }
        int iteration = BaseOptimizer.getIterationCount(model);
        int epoch = BaseOptimizer.getEpochCount(model);
        adapter.runUpdater(gradient, iteration, epoch, batchSize);
        INDArray params = model.params();
        INDArray g = adapter.gradientView();
        stepFunction.step(params.reshape(params.length()), g.reshape(g.length()));
        for (TrainingListener l : listeners) {
            l.iterationDone(model, iteration, epoch);
        }
        BaseOptimizer.incrementIterationCount(model, 1);
        adapter.applyConstraints(BaseOptimizer.getIterationCount(model), epoch);
    }
}
