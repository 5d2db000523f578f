package org.dgrab.lab.cli;

import org.dgrab.lab.cli.TrainingOptions.ModelKind;

import picocli.CommandLine.Option;

/**
 * The {@code --model} option of the image commands: LeNet-5 or an MLP. Use as a picocli mixin:
 * {@code @Mixin ModelOption model;}. It has no default of its own; the command's {@link TrainingOptions.Defaults}
 * gives one.
 */
public final class ModelOption {

    @Option(names = "--model", paramLabel = "M", order = 17, converter = TrainingOptions.ModelConverter.class,
            description = "lenet (LeNet-5: two 5x5 convolutions, dense 120-84) or mlp (one hidden layer of "
                    + ModelKind.MLP_HIDDEN + " ReLU units) (default: ${DEFAULT-VALUE}).")
    private ModelKind model;

    /** Used by picocli. */
    public ModelOption() {
    }

    /** @return {@code --model} */
    public ModelKind kind() {
        if (model == null) {
            throw new IllegalStateException("no value and no default for --model; the command's "
                    + "defaultValueProvider must define it");
        }
        return model;
    }
}
