package org.dgrab.lab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import org.dgrab.core.internal.io.AtomicFiles;
import org.dgrab.lab.data.FashionMnist;
import org.dgrab.lab.data.Idx;
import org.dgrab.lab.data.MissingDataException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dgrab make-sample}: draws a class-balanced random sample of Fashion-MNIST and writes it as gzipped IDX
 * files with the standard names. This is how the sample bundled for {@code ./dgrab demo}
 * ({@code dgrab-examples/src/main/resources/fashion-mnist-sample/}) was made, by
 * {@code scripts/make-fashion-sample.sh}.
 *
 * <p>Each class gets an equal share of the sample (the first {@code count % 10} classes one more); which images is
 * decided by a seeded shuffle of each split, and the chosen images keep their original relative order. The output
 * depends only on the input files, the counts and the seed.
 */
@Command(name = "make-sample",
        sortOptions = false,
        description = {
                "Writes a class-balanced random sample of Fashion-MNIST as gzipped IDX files (the demo's bundled "
                        + "sample is made this way, by scripts/make-fashion-sample.sh).",
                ""},
        footerHeading = "%nExample:%n",
        footer = "  ./dgrab make-sample --train 3000 --test 1000 --seed 0 --out dgrab-examples/src/main/resources/fashion-mnist-sample")
public final class MakeSampleCommand extends DgrabCommand {

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "Folder with the four Fashion-MNIST IDX files, gzipped or not (default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(names = "--train", paramLabel = "N", defaultValue = "3000",
            description = "Training images in the sample (default: ${DEFAULT-VALUE}; valid: 1 to the images in the file).")
    private int train;

    @Option(names = "--test", paramLabel = "N", defaultValue = "1000",
            description = "Test images in the sample (default: ${DEFAULT-VALUE}; valid: 1 to the images in the file).")
    private int test;

    @Mixin
    private RunOptions run;

    /** Used by picocli. */
    public MakeSampleCommand() {
    }

    /**
     * Writes the sample.
     *
     * @return 0 on success, 1 if the data set is missing
     * @throws IOException if reading or writing fails (each file appears whole or not at all, and nothing is
     *                     written before both splits are drawn)
     */
    @Override
    public Integer call() throws IOException {
        checkRange("--train", train, 1, Integer.MAX_VALUE);
        checkRange("--test", test, 1, Integer.MAX_VALUE);
        Path outDir = run.outDir();
        checkOut(outDir);
        try {
            FashionMnist.requireFiles(dataDir);
        } catch (MissingDataException e) {
            err().println(spec.qualifiedName() + ": " + e.getMessage());
            return 1;
        }
        // Both splits are drawn (and every option value checked) before the first file is written.
        List<Split> splits = List.of(sample("train", train, run.seed()), sample("t10k", test, run.seed() + 1));
        Files.createDirectories(outDir);
        for (Split s : splits) {
            write(outDir.resolve(s.imagesName() + ".gz"), out -> Idx.writeImages(out, s.rows(), s.cols(), s.pixels()));
            write(outDir.resolve(s.labelsName() + ".gz"), out -> Idx.writeLabels(out, s.labels()));
        }
        out().printf(Locale.ROOT, "sample train=%d test=%d seed=%d dir=%s%n", train, test, run.seed(), outDir);
        out().flush();
        return 0;
    }

    /** One split of the sample, drawn and not yet written. */
    private record Split(String imagesName, int rows, int cols, byte[] pixels, String labelsName, byte[] labels) {
    }

    private Split sample(String split, int count, long seed) throws IOException {
        String imagesName = split + "-images-idx3-ubyte";
        String labelsName = split + "-labels-idx1-ubyte";
        Idx.Images images;
        Idx.Labels labels;
        try (InputStream in = FashionMnist.open(find(imagesName))) {
            images = Idx.readImages(in, imagesName, 0);
        }
        try (InputStream in = FashionMnist.open(find(labelsName))) {
            labels = Idx.readLabels(in, labelsName, 0);
        }
        int n = images.count();
        if (labels.labels().length != n) {
            throw new IOException(imagesName + " has " + n + " images but " + labelsName + " has "
                    + labels.labels().length + " labels");
        }
        if (count > n) {
            throw invalid(split.equals("train") ? "--train" : "--test", count, "valid: 1.." + n + ", the images in "
                    + imagesName);
        }
        int[] chosen = choose(labels.labels(), count, seed);
        if (chosen.length < count) {
            throw invalid(split.equals("train") ? "--train" : "--test", count, "the classes of " + labelsName
                    + " have too few images for an equal share each");
        }
        int size = images.rows() * images.cols();
        byte[] px = new byte[count * size];
        byte[] lb = new byte[count];
        int[] perClass = new int[FashionMnist.CLASSES];
        for (int i = 0; i < count; i++) {
            System.arraycopy(images.pixels(), chosen[i] * size, px, i * size, size);
            lb[i] = labels.labels()[chosen[i]];
            perClass[lb[i] & 0xFF]++;
        }
        out().printf(Locale.ROOT, "%s: %d of %d images, per class %s%n", split, count, n, Arrays.toString(perClass));
        return new Split(imagesName, images.rows(), images.cols(), px, labelsName, lb);
    }

    /**
     * Writes one gzipped file crash-safely ({@link AtomicFiles}: a temporary beside it, renamed into place).
     * Best compression; Java writes no timestamp into the gzip header, so the bytes are reproducible.
     */
    private void write(Path file, AtomicFiles.Writer content) throws IOException {
        AtomicFiles.write(file, out -> {
            try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_COMPRESSION);
                }
            }) {
                content.write(gz);
            }
        });
        out().printf(Locale.ROOT, "wrote %s (%d bytes)%n", file.toAbsolutePath().normalize(), Files.size(file));
    }

    /**
     * Picks {@code count} indices, an equal share per class, by a seeded shuffle; returns them ascending.
     */
    static int[] choose(byte[] labels, int count, long seed) {
        int[] quota = new int[FashionMnist.CLASSES];
        for (int c = 0; c < quota.length; c++) {
            quota[c] = count / quota.length + (c < count % quota.length ? 1 : 0);
        }
        int[] perm = new int[labels.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        Random r = new Random(seed);
        for (int i = perm.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < perm.length && k < count; i++) {
            int c = labels[perm[i]] & 0xFF;
            if (c < quota.length && quota[c] > 0) {
                quota[c]--;
                out[k++] = perm[i];
            }
        }
        int[] chosen = Arrays.copyOf(out, k);
        Arrays.sort(chosen);
        return chosen;
    }

    private Path find(String name) throws IOException {
        for (String n : new String[] {name + ".gz", name}) {
            Path p = dataDir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException(name + "[.gz] not found in " + dataDir);
    }
}
