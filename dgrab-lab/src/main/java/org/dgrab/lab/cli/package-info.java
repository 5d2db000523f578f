/**
 * The subcommands of {@code ./dgrab}, one class each, all extending
 * {@link org.dgrab.lab.cli.DgrabCommand}: {@link org.dgrab.lab.cli.DemoCommand} (CD-GraB vs D-RR on the
 * bundled Fashion-MNIST sample), {@link org.dgrab.lab.cli.HerdingCommand} (the random-vector herding
 * experiment), {@link org.dgrab.lab.cli.Cifar10Command} and {@link org.dgrab.lab.cli.FashionMnistCommand}
 * (image classification; these three build their task with {@link org.dgrab.lab.cli.ImageTask}),
 * {@link org.dgrab.lab.cli.LanguageModelCommand} ({@code lm}: the LSTM language model, test perplexity),
 * {@link org.dgrab.lab.cli.LogisticRegressionCommand} ({@code logreg}: logistic regression on a CSV table),
 * {@link org.dgrab.lab.cli.TextCommand} ({@code text}: logistic regression on hashed features of labelled
 * sentences, the GLUE-shaped task),
 * {@link org.dgrab.lab.cli.DropInCommand} ({@code drop-in}: the drop-in iterator in {@code net.fit} against DL4J's
 * own shuffling, with the training commands' {@code metrics.csv} and summary lines),
 * {@link org.dgrab.lab.cli.MakeSampleCommand} (makes the bundled sample) and
 * {@link org.dgrab.lab.cli.BenchCommand} (JMH pass-through).
 *
 * <p>Options shared between commands are picocli mixins: {@link org.dgrab.lab.cli.RunOptions}
 * ({@code --seed}, {@code --out}), {@link org.dgrab.lab.cli.OrderOptions} ({@code --orders}),
 * {@link org.dgrab.lab.cli.ModelOption} ({@code --model}), {@link org.dgrab.lab.cli.SplitOptions}
 * ({@code --test-fraction}, {@code --split-seed}) and
 * {@link org.dgrab.lab.cli.TrainingOptions} (workers, epochs, optimiser, seeds, ...; defaults per command
 * through a {@link org.dgrab.lab.cli.TrainingOptions.Defaults} provider). A new
 * command extends {@code DgrabCommand}, mixes in what it needs, validates with
 * {@link org.dgrab.lab.cli.DgrabCommand#checkRange} and
 * {@link org.dgrab.lab.cli.DgrabCommand#checkDistinct} before reading any data (exit code 2 with the valid
 * range or the repeated value), reports progress through {@link org.dgrab.lab.cli.Progress} on stderr, prints
 * its results with a one-line summary as its last stdout line, then writes files through
 * {@link org.dgrab.lab.report.ResultFiles} (each on its own; a failed one is named with its cause), and is
 * listed in the {@code subcommands} of {@link org.dgrab.lab.Main}.
 *
 * <p>Commands are at most two classes deep ({@code DgrabCommand} and the command). The model-training
 * commands run one pipeline by composition, {@link org.dgrab.lab.cli.TrainingRun} (validation, training
 * through {@link org.dgrab.lab.experiment.TrainingExperiment}, progress, tables, {@code metrics.csv},
 * {@code metrics.png}, the summary and {@code time-to-drr-final} lines); a new training task only supplies a
 * {@link org.dgrab.lab.cli.TrainingRun.Task}: data, model factory and
 * {@link org.dgrab.lab.experiment.Evaluator}.
 */
package org.dgrab.lab.cli;
