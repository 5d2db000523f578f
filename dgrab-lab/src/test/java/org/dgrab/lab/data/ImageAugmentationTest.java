package org.dgrab.lab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import javax.imageio.ImageIO;

import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.datavec.image.data.ImageWritable;
import org.datavec.image.transform.ImageTransform;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.iterator.OrderedDataSetIterator;
import org.dgrab.lab.models.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The augmentation of {@code cifar10 --images}: what flip and crop do to pixels, that a seed repeats them, and that the
 * drop-in iterator reads, and so augments, every image again in every epoch.
 */
class ImageAugmentationTest {
    private static final int SIDE = 8;
    private static final int IMAGES = 64;
    private static final int LABELS = 4;

    @TempDir
    Path tmp;

    /** Image {@code i}: pixel (0, 0) is {@code i}, so a transform can tell which image it sees; the rest a gradient. */
    private static int pixel(int image, int row, int col) {
        return row == 0 && col == 0 ? image : 100 + row * 16 + col;
    }

    private Path writeImages() throws IOException {
        Path root = tmp.resolve("images");
        for (String split : new String[] {"train", "test"}) {
            for (int i = 0; i < IMAGES; i++) {
                BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
                for (int r = 0; r < SIDE; r++) {
                    for (int c = 0; c < SIDE; c++) {
                        img.getRaster().setSample(c, r, 0, pixel(i, r, c));
                    }
                }
                Path dir = root.resolve(split).resolve("class" + (i % LABELS));
                Files.createDirectories(dir);
                ImageIO.write(img, "png", dir.resolve(i + ".png").toFile());
            }
        }
        return root;
    }

    private static int[][] pixels(ImageWritable w) {
        Mat m = new OpenCVFrameConverter.ToMat().convert(w.getFrame());
        int[][] px = new int[m.rows()][m.cols()];
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                px[r][c] = m.ptr(r, c).get() & 0xFF;
            }
        }
        return px;
    }

    /** Counts, per image, how often it was transformed, and records what the augmentation made of it. */
    private static final class Recording implements ImageTransform {
        final ImageTransform inner;
        final Map<Integer, Integer> reads = new HashMap<>();
        final Map<Integer, Set<String>> outputs = new HashMap<>();

        Recording(ImageTransform inner) {
            this.inner = inner;
        }

        @Override
        public ImageWritable transform(ImageWritable image) {
            return transform(image, null);
        }

        @Override
        public ImageWritable transform(ImageWritable image, Random random) {
            int id = pixels(image)[0][0];
            reads.merge(id, 1, Integer::sum);
            ImageWritable out = inner.transform(image);
            outputs.computeIfAbsent(id, k -> new HashSet<>()).add(java.util.Arrays.deepToString(pixels(out)));
            return out;
        }

        @Override
        public float[] query(float... coordinates) {
            return inner.query(coordinates);
        }

        @Override
        public ImageWritable getCurrentImage() {
            return inner.getCurrentImage();
        }
    }

    @Test
    void everyEpochTransformsEveryImageAgain() throws IOException {
        ImageFolder train = ImageFolder.open(writeImages(), "train", null, 0);
        assertEquals(List.of("class0", "class1", "class2", "class3"), train.labels());
        Recording recording = new Recording(ImageAugmentation.parse(List.of("flip")).transform(3, SIDE, SIDE));
        MultiLayerNetwork net = Models.mlp(SIDE * SIDE, 16, LABELS, new Sgd(0.1), 1);
        OrderedDataSetIterator it = OrderedDataSetIterator.builder()
                .setSource(train.iterator(1, SIDE, SIDE, 8, recording)).setModel(net)
                .optOrdering(OrderingConfig.of("cd-grab", 3)).optWorkers(2).optBatchSize(8).build();
        assertTrue(it.source().onDemand(), "a record-reader iterator over image files is read on demand");

        Map<Integer, Integer> before = new HashMap<>();
        for (int epoch = 1; epoch <= 3; epoch++) {
            before.clear();
            before.putAll(recording.reads);
            net.fit(it);
            for (int i = 0; i < IMAGES; i++) {
                int now = recording.reads.getOrDefault(i, 0);
                assertEquals(1, now - before.getOrDefault(i, 0), "image " + i + " transformed once in epoch " + epoch);
            }
        }
        // Random flips, drawn anew on every read: over 3 epochs (and the first pass) most images were seen both ways.
        int both = 0;
        for (Set<String> seen : recording.outputs.values()) {
            both += seen.size() == 2 ? 1 : 0;
            assertTrue(seen.size() <= 2, "a flip has two outcomes");
        }
        assertTrue(both > IMAGES / 2, both + " of " + IMAGES + " images were seen flipped and unflipped");
        it.close();
    }

    @Test
    void flipMirrorsCropShiftsAndTheSeedRepeatsBoth() throws IOException {
        ImageFolder train = ImageFolder.open(writeImages(), "train", null, 4);
        assertEquals(4, train.size());
        assertTrue(train.numbered(), "files named by number are served in numeric order");
        List<DataSet> plain = read(train, null);
        List<DataSet> flipped = read(train, ImageAugmentation.parse(List.of("flip")).transform(5, SIDE, SIDE));
        for (int i = 0; i < 4; i++) {
            float[] p = plain.get(i).getFeatures().toFloatVector();
            float[] f = flipped.get(i).getFeatures().toFloatVector();
            assertEquals(pixel(i, 0, 0) / 255f, p[0], 1e-6, "scaled to [0, 1]");
            float[] mirror = new float[p.length];
            for (int r = 0; r < SIDE; r++) {
                for (int c = 0; c < SIDE; c++) {
                    mirror[r * SIDE + c] = p[r * SIDE + SIDE - 1 - c];
                }
            }
            assertTrue(java.util.Arrays.equals(f, p) || java.util.Arrays.equals(f, mirror),
                    "image " + i + " is itself or its left-right mirror");
        }
        assertEquals(1, ImageAugmentation.padding(SIDE, SIDE));
        assertEquals(4, ImageAugmentation.padding(28, 28));
        List<DataSet> cropped = read(train, ImageAugmentation.parse(List.of("crop")).transform(5, SIDE, SIDE));
        List<DataSet> croppedAgain = read(train, ImageAugmentation.parse(List.of("crop")).transform(5, SIDE, SIDE));
        for (int i = 0; i < 4; i++) {
            assertEquals(SIDE * SIDE, cropped.get(i).getFeatures().length(), "crop keeps the size");
            assertArrayEquals(cropped.get(i).getFeatures().toFloatVector(),
                    croppedAgain.get(i).getFeatures().toFloatVector(), 0f, "same seed, same crops");
        }
        assertEquals("flip,crop", ImageAugmentation.parse(List.of("crop", "flip")).id());
        assertTrue(ImageAugmentation.parse(List.of("none")).isNone());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageAugmentation.parse(List.of("rotate")));
        assertTrue(e.getMessage().contains("rotate") && e.getMessage().contains("flip, crop"), e.getMessage());
    }

    private static List<DataSet> read(ImageFolder folder, ImageTransform t) throws IOException {
        List<DataSet> out = new ArrayList<>();
        var it = folder.iterator(1, SIDE, SIDE, 1, t);
        while (it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void aMalformedFolderIsRefusedSayingWhatIsExpected() throws IOException {
        Path root = writeImages();
        Files.copy(root.resolve("train/class0/0.png"), root.resolve("train/stray.png"));
        IOException e = assertThrows(IOException.class, () -> ImageFolder.open(root, "train", null, 0));
        assertTrue(e.getMessage().contains("stray.png") && e.getMessage().contains("<label>"), e.getMessage());
        Files.delete(root.resolve("train/stray.png"));
        Files.createDirectories(root.resolve("test/other"));
        Files.copy(root.resolve("train/class0/0.png"), root.resolve("test/other/0.png"));
        IOException label = assertThrows(IOException.class,
                () -> ImageFolder.open(root, "test", List.of("class0", "class1", "class2", "class3"), 0));
        assertTrue(label.getMessage().contains("other") && label.getMessage().contains("training labels"),
                label.getMessage());
    }
}
