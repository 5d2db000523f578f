/**
 * Flat, runnable examples of the library as a DL4J user would write them, one {@code main} each. On the
 * Fashion-MNIST sample bundled with dgrab-examples ({@link org.dgrab.examples.quickstart.FashionMnistSample}):
 * {@link org.dgrab.examples.quickstart.FitWithCdGrab} (wrap an iterator, {@code net.fit}, evaluate, early-stop),
 * {@link org.dgrab.examples.quickstart.ParallelWrapperCdGrab} (ParallelWrapper's 4 workers as CD-GraB's workers),
 * {@link org.dgrab.examples.quickstart.CheckpointAndResume} (checkpoint inside the model zip and resume
 * bit-identically) and {@link org.dgrab.examples.quickstart.ExactDataParallel} ({@code DataParallelTrainer}, exact
 * synchronous n-worker CD-GraB against D-RR). On a folder of images:
 * {@link org.dgrab.examples.quickstart.Cifar10Images} (DataVec's {@code ImageRecordReader} with random flips, a
 * LeNet-5-style network). Run one with {@code ./dgrab example NAME}. Each {@code main} calls a {@code run} method,
 * which the tests call on small generated data.
 */
package org.dgrab.examples.quickstart;
