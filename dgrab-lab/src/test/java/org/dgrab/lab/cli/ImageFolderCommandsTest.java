package org.dgrab.lab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.dgrab.lab.data.FashionMnist;
import org.dgrab.lab.data.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make-images} and {@code cifar10 --images}, in-process on generated Fashion-MNIST IDX files: the folder
 * layout and pixels, the refusals, and training from the folder on demand, with and without augmentation.
 */
class ImageFolderCommandsTest {
    private static final int TRAIN = 64;
    private static final int TEST = 24;

    @TempDir
    Path tmp;

    /** Generated IDX files ({@link TestFiles#writeFashion}) and their PNG folder. */
    private Path images() throws IOException {
        Path idx = tmp.resolve("idx");
        TestFiles.writeFashion(idx, TRAIN, TEST, true);
        Path out = tmp.resolve("png");
        CommandRun r = CommandRun.of(List.of("make-images", "--data-dir", idx.toString(), "--out", out.toString()));
        assertEquals(0, r.code(), r::err);
        return out;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void makeImagesWritesOneGrayscalePngPerExampleInItsLabelFolder() throws IOException {
        Path out = images();
        for (String split : new String[] {"train", "test"}) {
            int n = split.equals("train") ? TRAIN : TEST;
            int[] expected = new int[FashionMnist.CLASSES];
            for (int i = 0; i < n; i++) {
                expected[TestFiles.label(i)]++;
            }
            for (int c = 0; c < FashionMnist.CLASSES; c++) {
                Path labelDir = out.resolve(split).resolve(Integer.toString(c));
                int count = labelDir.toFile().list().length;
                assertEquals(expected[c], count, split + " label " + c);
            }
            assertEquals(n, files(out.resolve(split)).size(), split + ": one file per example, nothing else");
            // Every PNG holds its example's IDX bytes exactly, 28x28 grayscale.
            for (int i : new int[] {0, 7, n - 1}) {
                Path png = out.resolve(split).resolve(Integer.toString(TestFiles.label(i))).resolve(i + ".png");
                BufferedImage img = ImageIO.read(png.toFile());
                assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType(), png.toString());
                assertEquals(FashionMnist.SIDE, img.getWidth());
                assertEquals(FashionMnist.SIDE, img.getHeight());
                int[] px = img.getRaster().getPixels(0, 0, FashionMnist.SIDE, FashionMnist.SIDE, (int[]) null);
                int[] want = new int[px.length];
                for (int p = 0; p < want.length; p++) {
                    want[p] = TestFiles.idxPixel(i, p);
                }
                assertArrayEquals(want, px, png.toString());
            }
        }
        try (Stream<Path> top = Files.list(out)) {
            assertEquals(List.of("test", "train"), top.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no staging folder left");
        }
    }

    @Test
    void makeImagesLimitsSummarisesAndRefusesAFolderWithContent() throws IOException {
        Path idx = tmp.resolve("idx");
        TestFiles.writeFashion(idx, TRAIN, TEST, false);
        Path out = tmp.resolve("limited");
        CommandRun r = CommandRun.of(List.of("make-images", "--data-dir", idx.toString(), "--out", out.toString(),
                "--limit-train", "10", "--limit-test", "5"));
        assertEquals(0, r.code(), r::err);
        assertEquals(10, files(out.resolve("train")).size());
        assertEquals(5, files(out.resolve("test")).size());
        assertEquals("make-images train=10 test=5 labels=10 source=" + idx + " dir=" + out.toAbsolutePath(),
                r.lastLine());

        CommandRun again = CommandRun.of(List.of("make-images", "--data-dir", idx.toString(), "--out",
                out.toString()));
        assertEquals(2, again.code(), again::out);
        assertTrue(again.err().contains("--out") && again.err().contains("already holds test, train"), again.err());
        assertEquals(10, files(out.resolve("train")).size(), "the folder is left as it was");

        Path missing = tmp.resolve("no-idx");
        Path never = tmp.resolve("never");
        CommandRun gone = CommandRun.of(List.of("make-images", "--data-dir", missing.toString(), "--out",
                never.toString()));
        assertEquals(1, gone.code(), gone::out);
        assertTrue(gone.err().contains("train-images-idx3-ubyte") && gone.err().contains(missing.toString()),
                gone.err());
        assertFalse(Files.exists(never), "nothing written");
    }

    private static List<String> train(Path images, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("cifar10", "--images", images.toString(), "--workers", "2",
                "--epochs", "2", "--batch", "8", "--orders", "cd-grab,d-rr", "--no-chart", "--out", out.toString()));
        a.addAll(Arrays.asList(extra));
        return a;
    }

    @Test
    void herdingBoundIsRefusedForImagesReadOnDemand() throws IOException {
        Path out = tmp.resolve("herding");
        CommandRun r = CommandRun.of(train(images(), out, "--herding-bound"));
        assertEquals(2, r.code(), r::err);
        assertTrue(r.err().contains("--herding-bound") && r.err().contains("DataParallelTrainer only"), r.err());
        assertFalse(Files.exists(out.resolve("metrics.csv")), "nothing trained, nothing written");
    }

    private static List<String> lines(Path csv) throws IOException {
        return Files.readAllLines(csv);
    }

    /** The CSV without its timing columns, which differ from run to run. */
    private static List<String> metrics(Path csv) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : lines(csv)) {
            String[] f = l.split(",");
            out.add(String.join(",", Arrays.copyOf(f, 6)));
        }
        return out;
    }

    @Test
    void cifar10TrainsFromTheFolderWithAugmentationAndRepeatsWithTheSeed() throws IOException {
        Path images = images();
        Path out = tmp.resolve("flip");
        CommandRun r = CommandRun.of(train(images, out, "--augment", "flip"));
        assertEquals(0, r.code(), r::err);
        List<String> csv = lines(out.resolve("metrics.csv"));
        assertEquals("order,seed,epoch,train_loss,test_loss,test_metric,epoch_seconds,ordering_seconds,"
                + "cumulative_seconds,herding_bound", csv.get(0));
        assertEquals(1 + 2 * 3, csv.size(), "2 orders x (epoch 0 + 2 epochs)");
        assertTrue(csv.get(2).startsWith("cd-grab,0,1,") && csv.get(6).startsWith("d-rr,0,2,"), csv.toString());
        for (String row : csv.subList(1, csv.size())) {
            double loss = Double.parseDouble(row.split(",")[3]);
            assertTrue(loss > 0 && Double.isFinite(loss), row);
        }
        assertTrue(r.summaryLine().matches("summary cd-grab=\\S+ d-rr=\\S+"), r.summaryLine());
        assertTrue(r.out().contains("28x28x1, 10 labels") && r.out().contains("augmentation flip")
                && r.out().contains(TRAIN + " train / " + TEST + " test images"), r.out());

        Path again = tmp.resolve("flip-again");
        assertEquals(0, CommandRun.of(train(images, again, "--augment", "flip")).code());
        assertEquals(metrics(out.resolve("metrics.csv")), metrics(again.resolve("metrics.csv")),
                "same seed, same augmented reads, same metrics");

        Path crop = tmp.resolve("crop");
        assertEquals(0, CommandRun.of(train(images, crop, "--augment", "flip,crop")).code());
        assertNotEquals(metrics(out.resolve("metrics.csv")).get(2), metrics(crop.resolve("metrics.csv")).get(2),
                "crop changes what is trained on");
    }

    @Test
    void withoutAugmentationTheFolderTrainsExactlyAsTheInMemoryIdxData() throws IOException {
        Path images = images();
        Path onDemand = tmp.resolve("on-demand");
        CommandRun r = CommandRun.of(train(images, onDemand));
        assertEquals(0, r.code(), r::err);
        Path inMemory = tmp.resolve("in-memory");
        CommandRun m = CommandRun.of(List.of("fashion-mnist", "--data-dir", tmp.resolve("idx").toString(),
                "--workers", "2", "--epochs", "2", "--batch", "8", "--orders", "cd-grab,d-rr", "--no-chart",
                "--out", inMemory.toString()));
        assertEquals(0, m.code(), m::err);
        // Same pixels, labels, example order, shards, initial weights and update rule: the net.fit path on the
        // joined batch of the two workers takes DataParallelTrainer's steps.
        assertEquals(metrics(inMemory.resolve("metrics.csv")), metrics(onDemand.resolve("metrics.csv")));
        assertEquals(m.summaryLine(), r.summaryLine());
    }

    @Test
    void imageOptionsAreCheckedBeforeAnyData() throws IOException {
        Path images = tmp.resolve("not-read");
        Path out = tmp.resolve("out");
        String[][] bad = {
                {"--augment", "flip,blur"}, {"--augment", "flip,flip"}, {"--granularity", "example-exact"},
                {"--granularity", "batch"}, {"--channels", "2"}, {"--height", "-1"}, {"--data-dir", "x"}};
        String[] named = {"blur", "listed twice", "example-exact", "--workers 1", "--channels", "--height",
                "--data-dir"};
        for (int i = 0; i < bad.length; i++) {
            CommandRun r = CommandRun.of(train(images, out, bad[i]));
            assertEquals(2, r.code(), Arrays.toString(bad[i]) + ": " + r.err());
            assertTrue(r.err().contains(named[i]), Arrays.toString(bad[i]) + ": " + r.err());
        }
        CommandRun augmentOnly = CommandRun.of(List.of("cifar10", "--augment", "flip", "--out", out.toString()));
        assertEquals(2, augmentOnly.code());
        assertTrue(augmentOnly.err().contains("applies to --images only"), augmentOnly.err());

        CommandRun missing = CommandRun.of(train(images, out));
        assertEquals(1, missing.code(), missing::err);
        assertTrue(missing.err().contains(images.resolve("train").toString())
                && missing.err().contains("make-images"), missing.err());
    }
}
