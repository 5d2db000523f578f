/**
 * Loaders for the lab's data sets: Fashion-MNIST (IDX files, and the small sample bundled for
 * {@code ./dgrab demo}), CIFAR-10 (the official binary version, or DL4J's {@code Cifar10DataSetIterator}),
 * WikiText-2-format text for the language model ({@link org.dgrab.lab.data.WikiText},
 * {@link org.dgrab.lab.data.Vocabulary}; a tiny text is bundled), numeric CSV tables for logistic regression
 * ({@link org.dgrab.lab.data.TabularData}: read, split and standardised by DataVec and ND4J). A
 * missing data set is reported with a {@link org.dgrab.lab.data.MissingDataException} whose message says
 * where to put the files.
 */
package org.dgrab.lab.data;
