package org.dgrab.lab.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.dgrab.lab.data.FashionMnist;
import org.dgrab.lab.data.Idx;
import org.dgrab.lab.data.MissingDataException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dgrab make-images}: writes Fashion-MNIST as a folder of PNG files in the layout DL4J users train from with
 * DataVec's {@code ImageRecordReader} and {@code ParentPathLabelGenerator}: {@code DIR/train/<label>/<index>.png} and
 * {@code DIR/test/<label>/<index>.png}, grayscale 28x28, the label folder named by the class digit {@code 0..9}
 * ({@link FashionMnist#LABELS} gives the names; digits, because the names contain {@code /} and because DataVec sorts
 * label folders by name, which keeps digit {@code k} at label index {@code k}), {@code <index>} the image's position
 * in its IDX file. {@code ./dgrab cifar10 --images DIR} trains from it.
 *
 * <p>Source: the IDX files in {@code --data-dir}, by default Debian's {@code dataset-fashion-mnist} package when it is
 * installed, else the sample bundled for the demo. Output: written into a hidden staging folder inside {@code DIR}
 * and moved into place as {@code DIR/train} and {@code DIR/test} by two renames when complete, so another program
 * sees a split whole or not at all; a failure removes the staging folder (and {@code DIR} if this command created
 * it). A {@code DIR} with any content is refused, so that images of two runs or of other data never mix.
 */
@Command(name = "make-images",
        sortOptions = false,
        description = {
                "Writes Fashion-MNIST as PNG files in DL4J's image-folder layout, DIR/train/<label>/<index>.png and "
                        + "DIR/test/<label>/<index>.png (grayscale 28x28; label = class digit 0-9: 0 T-shirt/top, "
                        + "1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot; "
                        + "index = position in the IDX file), for ./dgrab cifar10 --images DIR.",
                "",
                "Source: --data-dir, by default " + "/usr/share/datasets/fashion-mnist (apt-get install "
                        + "dataset-fashion-mnist) when present, else the demo's bundled sample (3000 + 1000 images).",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {"  ./dgrab make-images --out data/fashion-png",
                "  ./dgrab make-images --out data/fashion-png-10k --limit-train 10000"})
public final class MakeImagesCommand extends DgrabCommand {
    private static final String STAGING_PREFIX = ".make-images-";

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Folder to create the train/ and test/ folders in; must be new or empty.")
    private Path out;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder with the four Fashion-MNIST IDX files, gzipped or not (default: "
                    + "/usr/share/datasets/fashion-mnist when it holds them, else the bundled sample).")
    private Path dataDir;

    @Option(names = "--limit-train", paramLabel = "N", defaultValue = "0",
            description = "Write only the first N training images; 0 = all (default: ${DEFAULT-VALUE}).")
    private int limitTrain;

    @Option(names = "--limit-test", paramLabel = "N", defaultValue = "0",
            description = "Write only the first N test images; 0 = all (default: ${DEFAULT-VALUE}).")
    private int limitTest;

    /** Used by picocli. */
    public MakeImagesCommand() {
    }

    /**
     * Writes the images.
     *
     * @return 0 on success, 1 if the data set is missing
     * @throws IOException if reading or writing fails (nothing is left behind)
     */
    @Override
    public Integer call() throws IOException {
        checkRange("--limit-train", limitTrain, 0, Integer.MAX_VALUE);
        checkRange("--limit-test", limitTest, 0, Integer.MAX_VALUE);
        Path dir = out.toAbsolutePath().normalize();
        checkEmpty(dir);
        checkOut(dir);
        Source source;
        try {
            source = source();
        } catch (MissingDataException e) {
            err().println(spec.qualifiedName() + ": " + e.getMessage());
            err().println(spec.qualifiedName() + ": nothing was written to " + dir);
            return 1;
        }
        err().println(spec.qualifiedName() + ": reading Fashion-MNIST from " + source.name());
        err().flush();
        Split train = source.read("train", limitTrain);
        Split test = source.read("t10k", limitTest);

        boolean created = !Files.exists(dir);
        Files.createDirectories(dir);
        Path staging = dir.resolve(STAGING_PREFIX + ProcessHandle.current().pid() + ".tmp");
        boolean done = false;
        List<Path> moved = new ArrayList<>();
        int[][] counts = new int[2][];
        try (Progress progress = progress(spec.qualifiedName(), train.count() + test.count())) {
            counts[0] = write(train, staging.resolve("train"), progress, 0);
            counts[1] = write(test, staging.resolve("test"), progress, train.count());
            for (String split : new String[] {"train", "test"}) {
                move(staging.resolve(split), dir.resolve(split));
                moved.add(dir.resolve(split));
            }
            Files.delete(staging);
            done = true;
        } finally {
            if (!done) {
                // Leave DIR as it was: no staging folder, no half of the splits, and not DIR itself if it was new.
                deleteTree(staging);
                moved.forEach(MakeImagesCommand::deleteTree);
                if (created) {
                    Files.deleteIfExists(dir);
                }
            }
        }
        out().printf(Locale.ROOT, "train: %d of %d images, per label %s%n", train.count(), train.total(),
                Arrays.toString(counts[0]));
        out().printf(Locale.ROOT, "test: %d of %d images, per label %s%n", test.count(), test.total(),
                Arrays.toString(counts[1]));
        out().printf(Locale.ROOT, "make-images train=%d test=%d labels=%d source=%s dir=%s%n", train.count(),
                test.count(), FashionMnist.CLASSES, source.name(), dir);
        out().flush();
        return 0;
    }

    /** Refuses a DIR with content: a stray file or an older split would otherwise be trained on alongside. */
    private void checkEmpty(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw invalid("--out", dir, "it exists and is not a folder");
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.map(p -> p.getFileName().toString()).sorted().limit(5).forEach(names::add);
        }
        if (!names.isEmpty()) {
            throw invalid("--out", dir, "it already holds " + String.join(", ", names) + (names.size() == 5 ? ", ..."
                    : "") + "; give a new or empty folder, so that these images do not mix with other files");
        }
    }

    /** One split: its pixels and labels, and the size of its file. */
    private record Split(String name, Idx.Images images, byte[] labels, int total) {
        int count() {
            return labels.length;
        }
    }

    /** Opens an IDX file by its standard name. */
    @FunctionalInterface
    private interface Opener {
        InputStream open(String name) throws IOException;
    }

    /** Where the IDX files come from: a name for the report and how to open a file. */
    private record Source(String name, Opener opener) {
        Split read(String split, int limit) throws IOException {
            String images = split + "-images-idx3-ubyte";
            String labels = split + "-labels-idx1-ubyte";
            try (InputStream im = opener.open(images); InputStream lb = opener.open(labels)) {
                return MakeImagesCommand.split(split, im, name + "/" + images, lb, name + "/" + labels, limit);
            }
        }
    }

    private Source source() throws IOException {
        Path dir = dataDir;
        if (dir == null && FashionMnist.missing(FashionMnist.DEFAULT_DIR).isEmpty()) {
            dir = FashionMnist.DEFAULT_DIR;
        }
        if (dir == null) {
            err().println(spec.qualifiedName() + ": " + FashionMnist.DEFAULT_DIR + " does not hold Fashion-MNIST "
                    + "(apt-get install dataset-fashion-mnist); writing the bundled sample instead");
            return new Source("bundled-sample", FashionMnist::openSample);
        }
        FashionMnist.requireFiles(dir);
        Path from = dir;
        return new Source(from.toString(), name -> FashionMnist.openFile(from, name));
    }

    private static Split split(String split, InputStream images, String imagesName, InputStream labels,
                               String labelsName, int limit) throws IOException {
        Idx.Images im = Idx.readImages(images, imagesName, limit);
        Idx.Labels lb = Idx.readLabels(labels, labelsName, limit);
        if (im.total() != lb.total()) {
            throw new IOException(imagesName + " has " + im.total() + " images but " + labelsName + " has "
                    + lb.total() + " labels");
        }
        if (im.rows() != FashionMnist.SIDE || im.cols() != FashionMnist.SIDE) {
            throw new IOException(imagesName + ": images are " + im.rows() + "x" + im.cols() + ", expected "
                    + FashionMnist.SIDE + "x" + FashionMnist.SIDE + " (Fashion-MNIST)");
        }
        for (int i = 0; i < lb.labels().length; i++) {
            if ((lb.labels()[i] & 0xFF) >= FashionMnist.CLASSES) {
                throw new IOException(labelsName + ": label " + (lb.labels()[i] & 0xFF) + " of example " + i
                        + " is outside [0, " + FashionMnist.CLASSES + ")");
            }
        }
        return new Split(split, im, lb.labels(), im.total());
    }

    /** Writes a split's PNGs under {@code dir}; returns the images per label. */
    private static int[] write(Split s, Path dir, Progress progress, int done) throws IOException {
        int[] perLabel = new int[FashionMnist.CLASSES];
        for (int c = 0; c < FashionMnist.CLASSES; c++) {
            Files.createDirectories(dir.resolve(Integer.toString(c)));
        }
        int rows = s.images().rows();
        int cols = s.images().cols();
        BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < s.count(); i++) {
            int label = s.labels()[i] & 0xFF;
            img.getRaster().setDataElements(0, 0, cols, rows,
                    Arrays.copyOfRange(s.images().pixels(), i * rows * cols, (i + 1) * rows * cols));
            Path file = dir.resolve(Integer.toString(label)).resolve(i + ".png");
            if (!ImageIO.write(img, "png", file.toFile())) {
                throw new IOException("no PNG writer in this JVM (javax.imageio); cannot write " + file);
            }
            perLabel[label]++;
            if (i % 1000 == 999 || i == s.count() - 1) {
                progress.set(done + i + 1, (s.name().equals("t10k") ? "test" : "train") + " image " + (i + 1) + "/"
                        + s.count());
            }
        }
        return perLabel;
    }

    /** A rename within one file system; fails rather than merge into a folder that appeared meanwhile. */
    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // Best effort: the original failure matters more than a leftover staging folder.
        }
    }
}
