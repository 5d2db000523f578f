package org.dgrab.lab.data;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;
import org.deeplearning4j.datasets.fetchers.DataSetType;
import org.deeplearning4j.datasets.iterator.impl.Cifar10DataSetIterator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CIFAR-10 the way DL4J users get it: {@link Cifar10DataSetIterator}, which downloads DL4J's copy of the data set
 * (PNG images) once into {@code ~/.deeplearning4j/data/cifar10} and reads it from there afterwards. Features come
 * out as {@code [N, 3, 32, 32]} scaled to {@code [0, 1]}, labels one-hot {@code [N, 10]}. The iterator's class
 * order follows DL4J's folder names, which may differ from the binary version's; it is the same for both splits.
 */
public final class Cifar10Dl4j {
    /** Examples per batch read from the iterator. */
    private static final int BATCH = 1000;

    private Cifar10Dl4j() {
    }

    /**
     * Where DL4J caches CIFAR-10 (the directory is not created here).
     *
     * @return the cache directory
     */
    public static Path cacheDir() {
        File base = new File(DL4JResources.getBaseDirectory(), ResourceType.DATASET.resourceName());
        return new File(base, "cifar10").toPath();
    }

    /**
     * Loads a split through DL4J's iterator, downloading the data set first if it is not cached.
     *
     * @param train true for the 50,000 training images, false for the 10,000 test images
     * @param limit at most this many examples, or {@code <= 0} for all
     * @return the data
     * @throws MissingDataException if the data is neither cached nor downloadable (offline); the message says how to
     *                              use the binary version with {@code --data-dir} instead
     */
    public static DataSet load(boolean train, int limit) throws MissingDataException {
        Cifar10DataSetIterator it;
        Path cache = cacheDir();
        List<Path> absent = new ArrayList<>();
        for (Path p = cache; p != null && !Files.exists(p); p = p.getParent()) {
            absent.add(p);
        }
        try {
            it = new Cifar10DataSetIterator(BATCH, train ? DataSetType.TRAIN : DataSetType.TEST);
        } catch (RuntimeException e) {
            // DL4J creates the cache folders before it tries to download; take back the empty ones it made.
            for (Path p : absent) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException notEmpty) {
                    break;
                }
            }
            String why = e.getCause() != null ? e.getMessage() + ": " + e.getCause() : String.valueOf(e.getMessage());
            throw new MissingDataException("CIFAR-10 is not cached in " + cache + " and DL4J could not download it ("
                    + why + ")\n"
                    + "  With internet access, DL4J's Cifar10DataSetIterator downloads it once into " + cache
                    + " (JAVA_OPTS=-D" + DL4JResources.DL4J_RESOURCES_DIR_PROPERTY + "=DIR moves DL4J's cache)\n"
                    + "  Offline: get " + Cifar10Binary.ARCHIVE_URL + " elsewhere, unpack it (tar xzf "
                    + "cifar-10-binary.tar.gz) and pass the folder holding " + String.join(", ", Cifar10Binary.TRAIN_FILES)
                    + " and " + Cifar10Binary.TEST_FILE + ": --data-dir path/to/cifar-10-batches-bin",
                    cache, List.of("cifar10_dl4j.v1.zip"), e);
        }
        it.setPreProcessor(new ImagePreProcessingScaler(0, 1));
        List<INDArray> features = new ArrayList<>();
        List<INDArray> labels = new ArrayList<>();
        int n = 0;
        while (it.hasNext() && (limit <= 0 || n < limit)) {
            DataSet d = it.next();
            int take = limit <= 0 ? d.numExamples() : Math.min(d.numExamples(), limit - n);
            features.add(take == d.numExamples() ? d.getFeatures() : d.getFeatures().get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, take)));
            labels.add(take == d.numExamples() ? d.getLabels() : d.getLabels().get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, take)));
            n += take;
        }
        if (features.isEmpty()) {
            throw new MissingDataException("DL4J's CIFAR-10 cache in " + cacheDir() + " holds no "
                    + (train ? "training" : "test") + " images; delete the folder to download it again", cacheDir(),
                    List.of(train ? "train" : "test"));
        }
        INDArray f = Nd4j.concat(0, features.toArray(new INDArray[0])).castTo(DataType.FLOAT);
        INDArray l = Nd4j.concat(0, labels.toArray(new INDArray[0])).castTo(DataType.FLOAT);
        return new DataSet(f, l);
    }
}
