/**
 * Loaders for the examples' data sets: Fashion-MNIST (IDX files, and the small sample bundled for
 * {@code ./dgrab demo}), CIFAR-10 (the official binary version, or DL4J's {@code Cifar10DataSetIterator}). A
 * missing data set is reported with a {@link org.dgrab.examples.data.MissingDataException} whose message says
 * where to put the files.
 */
package org.dgrab.examples.data;
