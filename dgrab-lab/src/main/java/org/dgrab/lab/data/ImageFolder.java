package org.dgrab.lab.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.image.loader.BaseImageLoader;
import org.datavec.image.recordreader.ImageRecordReader;
import org.datavec.image.transform.ImageTransform;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.preprocessor.CompositeDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;

/**
 * One split of a folder of labelled images in the usual DL4J layout, {@code ROOT/<split>/<label>/<file>.png} (what
 * {@code ./dgrab make-images} writes), read through DataVec's {@link ImageRecordReader} with a
 * {@link ParentPathLabelGenerator}: the label of an image is the name of its folder. Iterators built here serve
 * features scaled to {@code [0, 1]} ({@link ImagePreProcessingScaler}) and flattened to {@code [N, C*H*W]} in
 * channel-first order, the layout of the in-memory image commands, so LeNet-5 and the MLP take either.
 *
 * <p>File order: when every file name (without extension) is a number, by that number, which for a
 * {@code make-images} folder is the example's index in the IDX file, so the first {@code N} files and the workers'
 * contiguous shards are the same examples as in {@code ./dgrab fashion-mnist}; otherwise by path. Only files with
 * DataVec's image extensions ({@link BaseImageLoader#ALLOWED_FORMATS}) count, as with a {@code FileSplit}.
 */
public final class ImageFolder {
    private final Path dir;
    private final List<String> labels;
    private final List<URI> files;
    private final boolean numbered;

    private ImageFolder(Path dir, List<String> labels, List<URI> files, boolean numbered) {
        this.dir = dir;
        this.labels = labels;
        this.files = files;
        this.numbered = numbered;
    }

    /**
     * Lists one split.
     *
     * @param root   the folder that holds {@code train/} and {@code test/}
     * @param split  {@code train} or {@code test}
     * @param labels the labels to use, in label-index order, or null to take this split's folder names, sorted as
     *               DataVec sorts them (the test split must use the training split's labels, so that an index means
     *               the same class in both)
     * @param limit  keep the first {@code limit} files, 0 for all
     * @return the split
     * @throws MissingDataException if the split's folder is missing (the message shows the expected layout)
     * @throws IOException          if it holds no label folders or no images, files outside label folders, or a
     *                              label the given labels lack
     */
    public static ImageFolder open(Path root, String split, List<String> labels, int limit) throws IOException {
        Path dir = root.resolve(split);
        if (!Files.isDirectory(dir)) {
            throw new MissingDataException("image folder " + dir + " is missing: --images DIR expects "
                    + "DIR/train/<label>/*.png and DIR/test/<label>/*.png (./dgrab make-images --out DIR writes "
                    + "Fashion-MNIST that way)", root, List.of(split + "/"));
        }
        TreeSet<String> found = new TreeSet<>();
        List<Path> images = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries.sorted()::iterator) {
                if (!Files.isDirectory(p)) {
                    if (isImage(p)) {
                        throw new IOException(p + " lies directly in " + dir + ": every image must be in a folder "
                                + "named after its label, " + dir + "/<label>/" + p.getFileName());
                    }
                    continue;
                }
                try (Stream<Path> walk = Files.walk(p)) {
                    List<Path> inLabel = walk.filter(f -> Files.isRegularFile(f) && isImage(f)).toList();
                    for (Path f : inLabel) {
                        if (!f.getParent().equals(p)) {
                            throw new IOException(f + " is in a subfolder of label folder " + p + ": DataVec's "
                                    + "ParentPathLabelGenerator would label it " + f.getParent().getFileName()
                                    + "; put it directly into " + p);
                        }
                    }
                    if (!inLabel.isEmpty()) {
                        found.add(p.getFileName().toString());
                        images.addAll(inLabel);
                    }
                }
            }
        }
        if (images.isEmpty()) {
            throw new IOException(dir + " holds no images (" + String.join(", ", BaseImageLoader.ALLOWED_FORMATS)
                    + ") in label folders; expected " + dir + "/<label>/<name>.png");
        }
        List<String> useLabels = labels != null ? List.copyOf(labels) : List.copyOf(found);
        for (String l : found) {
            if (!useLabels.contains(l)) {
                throw new IOException(dir.resolve(l) + ": label " + l + " is not among the training labels "
                        + useLabels);
            }
        }
        boolean numbered = images.stream().allMatch(p -> number(p) != null);
        Comparator<Path> order = numbered ? Comparator.comparing(ImageFolder::number).thenComparing(p -> p)
                : Comparator.naturalOrder();
        images.sort(order);
        if (limit > 0 && limit < images.size()) {
            images = images.subList(0, limit);
        }
        List<URI> uris = new ArrayList<>(images.size());
        for (Path p : images) {
            uris.add(p.toUri());
        }
        return new ImageFolder(dir, useLabels, List.copyOf(uris), numbered);
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && Arrays.asList(BaseImageLoader.ALLOWED_FORMATS).contains(name.substring(dot + 1))
                && !name.startsWith(".");
    }

    /** @return the file name without extension as a number, or null */
    private static Long number(Path p) {
        String name = p.getFileName().toString();
        String stem = name.substring(0, name.lastIndexOf('.'));
        if (stem.isEmpty() || stem.length() > 18 || !stem.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(stem);
    }

    /** @return the split's folder */
    public Path dir() {
        return dir;
    }

    /** @return the labels, in label-index order */
    public List<String> labels() {
        return labels;
    }

    /** @return the images, in the order they are served */
    public List<URI> files() {
        return files;
    }

    /** @return number of images */
    public int size() {
        return files.size();
    }

    /** @return whether every file name is a number (and the files are in that numeric order) */
    public boolean numbered() {
        return numbered;
    }

    /**
     * The size of the first image.
     *
     * @return {@code {channels, height, width}}: 1 channel for a grayscale image, 3 otherwise (alpha is dropped)
     * @throws IOException if it cannot be read as an image
     */
    public int[] firstImageShape() throws IOException {
        Path first = Path.of(files.get(0));
        BufferedImage img = ImageIO.read(first.toFile());
        if (img == null) {
            throw new IOException(first + ": not an image Java can read (PNG, JPEG, BMP); pass --height, --width "
                    + "and --channels");
        }
        int bands = img.getRaster().getNumBands();
        return new int[] {bands <= 2 ? 1 : 3, img.getHeight(), img.getWidth()};
    }

    /**
     * A DataVec iterator over the split: {@link ImageRecordReader} ({@link ParentPathLabelGenerator}, this split's
     * file order and labels), {@link RecordReaderDataSetIterator} with one-hot labels, scaled and flattened features.
     *
     * @param channels  channels to load (the loader converts)
     * @param height    height to load (the loader rescales)
     * @param width     width to load
     * @param batch     examples per batch
     * @param transform augmentation applied to every image read, or null
     * @return the iterator
     * @throws IOException if the reader cannot be initialised
     */
    public RecordReaderDataSetIterator iterator(int channels, int height, int width, int batch,
                                                ImageTransform transform) throws IOException {
        ImageRecordReader reader = new ImageRecordReader(height, width, channels, new ParentPathLabelGenerator(),
                transform);
        reader.initialize(new CollectionInputSplit(files));
        // initialize() infers the labels from the files it is given: a --limit that leaves a class out would shift
        // every later label index. The split's labels (the training split's, for the test split) fix them.
        reader.setLabels(new ArrayList<>(labels));
        RecordReaderDataSetIterator it = new RecordReaderDataSetIterator(reader, batch, 1, labels.size());
        it.setPreProcessor(new CompositeDataSetPreProcessor(new ImagePreProcessingScaler(0, 1), new Flatten()));
        return it;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d images in %d label folders of %s", files.size(), labels.size(), dir);
    }

    /**
     * Flattens {@code [N, C, H, W]} features to {@code [N, C*H*W]} (channel-first), the layout of the in-memory image
     * data, which both models of the image commands accept.
     */
    public static final class Flatten implements DataSetPreProcessor {
        private static final long serialVersionUID = 1L;

        /** For serialisation and use. */
        public Flatten() {
        }

        @Override
        public void preProcess(org.nd4j.linalg.dataset.api.DataSet d) {
            long n = d.getFeatures().size(0);
            d.setFeatures(d.getFeatures().reshape('c', n, d.getFeatures().length() / n));
        }
    }
}
