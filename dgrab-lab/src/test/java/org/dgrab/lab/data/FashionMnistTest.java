package org.dgrab.lab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.dataset.DataSet;

/** Tests {@link FashionMnist} and {@link Idx} on generated IDX files, and the bundled sample. */
class FashionMnistTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {true, false})
    void readsGzippedAndPlainIdxFiles(boolean gzip) throws IOException {
        TestFiles.writeFashion(tmp, 7, 3, gzip);
        assertEquals(List.of(), FashionMnist.missing(tmp));
        DataSet train = FashionMnist.load(tmp, true, 0);
        assertEquals(7, train.numExamples());
        assertEquals(784, train.getFeatures().size(1));
        for (int i = 0; i < 7; i++) {
            assertEquals(1.0, train.getLabels().getDouble(i, TestFiles.label(i)), 0, "label of " + i);
            assertEquals(1.0, train.getLabels().getRow(i).sumNumber().doubleValue(), 0);
            for (int p : new int[] {0, 1, 27, 28, 400, 783}) {
                assertEquals(TestFiles.idxPixel(i, p) / 255.0, train.getFeatures().getDouble(i, p), 1e-6,
                        "example " + i + " pixel " + p);
            }
        }
        DataSet test = FashionMnist.load(tmp, false, 2);
        assertEquals(2, test.numExamples(), "limit");
        assertEquals(TestFiles.idxPixel(1, 100) / 255.0, test.getFeatures().getDouble(1, 100), 1e-6);
    }

    @Test
    void missingFilesNameTheDirectoryAndTheDebianPackage() throws IOException {
        MissingDataException e = assertThrows(MissingDataException.class, () -> FashionMnist.load(tmp, true, 0));
        assertEquals(4, e.missing().size());
        assertTrue(e.getMessage().contains(tmp.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte[.gz]"), e.getMessage());
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
        TestFiles.writeFashion(tmp, 2, 2, true);
        Files.delete(tmp.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(List.of("t10k-labels-idx1-ubyte[.gz]"), FashionMnist.missing(tmp));
    }

    @Test
    void rejectsMalformedFiles() throws IOException {
        TestFiles.writeFashion(tmp, 3, 2, false);
        // Labels of another length than the images.
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Idx.writeLabels(b, new byte[] {1, 2});
        Files.write(tmp.resolve("train-labels-idx1-ubyte"), b.toByteArray());
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(tmp, true, 0));
        assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("2 labels"), e.getMessage());
        // Images and labels swapped: wrong magic number.
        e = assertThrows(IOException.class, () -> FashionMnist.read(tmp.resolve("train-labels-idx1-ubyte"),
                tmp.resolve("train-labels-idx1-ubyte"), 0));
        assertTrue(e.getMessage().contains("not an IDX image file"), e.getMessage());
        // Truncated images.
        byte[] im = Files.readAllBytes(tmp.resolve("t10k-images-idx3-ubyte"));
        Files.write(tmp.resolve("t10k-images-idx3-ubyte"), java.util.Arrays.copyOf(im, im.length - 10));
        e = assertThrows(IOException.class, () -> FashionMnist.load(tmp, false, 0));
        assertTrue(e.getMessage().contains("ends early"), e.getMessage());
        // A label outside 0..9.
        b.reset();
        Idx.writeLabels(b, new byte[] {1, 12, 3});
        Files.write(tmp.resolve("train-labels-idx1-ubyte"), b.toByteArray());
        e = assertThrows(IOException.class, () -> FashionMnist.load(tmp, true, 0));
        assertTrue(e.getMessage().contains("label 12"), e.getMessage());
    }

    @Test
    void bundledSampleIsBalancedAndComplete() throws IOException {
        DataSet train = FashionMnist.loadSample(true, 0);
        DataSet test = FashionMnist.loadSample(false, 0);
        assertEquals(3000, train.numExamples());
        assertEquals(1000, test.numExamples());
        assertEquals(784, train.getFeatures().size(1));
        double[] perClass = train.getLabels().sum(0).toDoubleVector();
        for (double c : perClass) {
            assertEquals(300, c, 0, "training images per class");
        }
        for (double c : test.getLabels().sum(0).toDoubleVector()) {
            assertEquals(100, c, 0, "test images per class");
        }
        double mean = train.getFeatures().meanNumber().doubleValue();
        assertTrue(mean > 0.2 && mean < 0.4, "real images have a mean intensity near 0.29, got " + mean);
        assertEquals(10, FashionMnist.loadSample(true, 10).numExamples());
    }

    @Test
    void rejectsImagesOfAnotherShapeAndBytesBeyondTheHeader() throws IOException {
        TestFiles.writeFashion(tmp, 4, 2, false);
        byte[] im = Files.readAllBytes(tmp.resolve("train-images-idx3-ubyte"));
        // Same bytes, header 14x56: as many pixels per image as 28x28, so only the header check can tell.
        java.nio.ByteBuffer.wrap(im).putInt(8, 14).putInt(12, 56);
        Files.write(tmp.resolve("train-images-idx3-ubyte"), im);
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(tmp, true, 0));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte") && e.getMessage().contains("14x56")
                && e.getMessage().contains("expected 28x28"), e.getMessage());
        // A header announcing fewer images than the file holds.
        java.nio.ByteBuffer.wrap(im).putInt(4, 3).putInt(8, 28).putInt(12, 28);
        Files.write(tmp.resolve("train-images-idx3-ubyte"), im);
        e = assertThrows(IOException.class, () -> FashionMnist.read(tmp.resolve("train-images-idx3-ubyte"),
                tmp.resolve("train-labels-idx1-ubyte"), 0));
        assertTrue(e.getMessage().contains("bytes follow the 3 images of 28x28"), e.getMessage());
        // Labels with bytes beyond their count.
        byte[] lb = Files.readAllBytes(tmp.resolve("t10k-labels-idx1-ubyte"));
        Files.write(tmp.resolve("t10k-labels-idx1-ubyte"), java.util.Arrays.copyOf(lb, lb.length + 1));
        e = assertThrows(IOException.class, () -> FashionMnist.load(tmp, false, 0));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte") && e.getMessage().contains("bytes follow the 2 labels"),
                e.getMessage());
    }

    @Test
    void refusesRawAndCompressedCopiesOfTheSameFile() throws IOException {
        TestFiles.writeFashion(tmp, 3, 2, true);
        Path dir2 = tmp.resolve("raw");
        TestFiles.writeFashion(dir2, 5, 2, false);
        Files.copy(dir2.resolve("train-labels-idx1-ubyte"), tmp.resolve("train-labels-idx1-ubyte"));
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(tmp, true, 0));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz") && e.getMessage().contains("both")
                && e.getMessage().contains("keep one"), e.getMessage());
        assertEquals(2, FashionMnist.load(tmp, false, 0).numExamples(), "the test split has one copy of each file");
        Files.write(tmp.resolve("t10k-images-idx3-ubyte.gz"), new byte[0]);
        e = assertThrows(IOException.class, () -> FashionMnist.load(tmp, false, 0));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz is empty (0 bytes)"), e.getMessage());
    }
}
