package org.dgrab.lab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Tests {@link Cifar10Binary} on generated files in the official binary format. */
class Cifar10BinaryTest {

    @TempDir
    Path tmp;

    @Test
    void readsLabelsAndRgbPlanesInOrderAcrossFiles() throws IOException {
        TestFiles.writeCifar(tmp, 3, 2);
        DataSet train = Cifar10Binary.load(tmp, true, 0);
        INDArray x = train.getFeatures();
        assertEquals(List.of(15L, 3L, 32L, 32L), List.of(x.size(0), x.size(1), x.size(2), x.size(3)));
        assertEquals(List.of(15L, 10L), List.of(train.getLabels().size(0), train.getLabels().size(1)));
        for (int i = 0; i < 15; i++) {
            // Example i lies in file i / 3; the loader keeps the file order.
            INDArray y = train.getLabels().getRow(i);
            assertEquals(1.0, y.sumNumber().doubleValue(), 0, "one-hot row " + i);
            assertEquals(1.0, y.getDouble(TestFiles.label(i)), 0, "label of example " + i);
            for (int c = 0; c < 3; c++) {
                for (int[] rc : new int[][] {{0, 0}, {0, 31}, {5, 7}, {31, 0}, {31, 31}}) {
                    double expected = TestFiles.cifarPixel(i, c, rc[0], rc[1]) / 255.0;
                    assertEquals(expected, x.getDouble(i, c, rc[0], rc[1]), 1e-6,
                            "example " + i + " channel " + c + " pixel " + rc[0] + "," + rc[1]);
                }
            }
        }
        DataSet test = Cifar10Binary.load(tmp, false, 0);
        assertEquals(2, test.numExamples());
        assertEquals(TestFiles.cifarPixel(1, 2, 4, 9) / 255.0, test.getFeatures().getDouble(1, 2, 4, 9), 1e-6);
    }

    @Test
    void limitTakesTheFirstExamples() throws IOException {
        TestFiles.writeCifar(tmp, 4, 3);
        DataSet d = Cifar10Binary.load(tmp, true, 6);
        assertEquals(6, d.numExamples());
        assertEquals(TestFiles.cifarPixel(5, 1, 2, 3) / 255.0, d.getFeatures().getDouble(5, 1, 2, 3), 1e-6);
        assertEquals(3, Cifar10Binary.load(tmp, false, 100).numExamples(), "a limit above the size is no error");
    }

    @Test
    void missingFilesAreNamedWithTheDirectory() throws IOException {
        assertEquals(6, Cifar10Binary.missing(tmp).size());
        TestFiles.writeCifar(tmp, 1, 1);
        Files.delete(tmp.resolve("data_batch_3.bin"));
        Files.delete(tmp.resolve("test_batch.bin"));
        assertEquals(List.of("data_batch_3.bin", "test_batch.bin"), Cifar10Binary.missing(tmp));
        MissingDataException e = assertThrows(MissingDataException.class, () -> Cifar10Binary.requireFiles(tmp));
        assertEquals(List.of("data_batch_3.bin", "test_batch.bin"), e.missing());
        assertTrue(e.getMessage().contains(tmp.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("data_batch_3.bin, test_batch.bin"), e.getMessage());
        assertTrue(e.getMessage().contains(Cifar10Binary.ARCHIVE_URL), e.getMessage());
        assertThrows(MissingDataException.class, () -> Cifar10Binary.load(tmp, true, 0));
    }

    @Test
    void rejectsTruncatedFilesAndBadLabels() throws IOException {
        TestFiles.writeCifar(tmp, 2, 2);
        byte[] rec = Files.readAllBytes(tmp.resolve("data_batch_2.bin"));
        Files.write(tmp.resolve("data_batch_2.bin"), java.util.Arrays.copyOf(rec, rec.length - 1));
        IOException e = assertThrows(IOException.class, () -> Cifar10Binary.load(tmp, true, 0));
        assertTrue(e.getMessage().contains("data_batch_2.bin") && e.getMessage().contains("3073"), e.getMessage());

        byte[] test = TestFiles.cifarRecords(0, 1);
        test[0] = 10;
        Files.write(tmp.resolve("test_batch.bin"), test);
        e = assertThrows(IOException.class, () -> Cifar10Binary.load(tmp, false, 0));
        assertTrue(e.getMessage().contains("label 10"), e.getMessage());
    }

    @Test
    void rejectsEmptyFilesAndTrainingFilesOfUnequalLength() throws IOException {
        // A failed download leaves a 0-byte file: read as zero records it would train on 4/5 of the data.
        TestFiles.writeCifar(tmp, 3, 2);
        Files.write(tmp.resolve("data_batch_1.bin"), new byte[0]);
        IOException e = assertThrows(IOException.class, () -> Cifar10Binary.load(tmp, true, 0));
        assertTrue(e.getMessage().contains("data_batch_1.bin") && e.getMessage().contains("empty (0 bytes)")
                && e.getMessage().contains(Cifar10Binary.ARCHIVE_URL), e.getMessage());
        // An empty test file: no test data at all (it used to divide by zero in the command).
        TestFiles.writeCifar(tmp, 3, 2);
        Files.write(tmp.resolve("test_batch.bin"), new byte[0]);
        e = assertThrows(IOException.class, () -> Cifar10Binary.load(tmp, false, 0));
        assertTrue(e.getMessage().contains("test_batch.bin") && e.getMessage().contains("empty"), e.getMessage());
        // A training file cut at a record boundary: whole records, but fewer than the others.
        TestFiles.writeCifar(tmp, 3, 2);
        Files.write(tmp.resolve("data_batch_4.bin"), TestFiles.cifarRecords(0, 2));
        e = assertThrows(IOException.class, () -> Cifar10Binary.load(tmp, true, 0));
        assertTrue(e.getMessage().contains("data_batch_4.bin holds 2 records") && e.getMessage().contains("holds 3"),
                e.getMessage());
        // The test split alone does not need the training files to agree.
        assertEquals(2, Cifar10Binary.load(tmp, false, 0).numExamples());
    }
}
