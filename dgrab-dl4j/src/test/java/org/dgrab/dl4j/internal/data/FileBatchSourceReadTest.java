package org.dgrab.dl4j.internal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Files read with DL4J's own read buffer (including files longer than it), and files that cannot be merged. */
class FileBatchSourceReadTest {
    @Test
    void filesLargerThanTheReadBufferLoadAsDataSetLoadReadsThem(@TempDir Path dir) throws Exception {
        // 3 x 100,000 floats: 1.2 MB of features, more than one fill of the 1 MB buffer.
        Nd4j.getRandom().setSeed(7);
        DataSet big = new DataSet(Nd4j.rand(DataType.FLOAT, 3, 100_000), Nd4j.eye(3).castTo(DataType.FLOAT));
        DataSet small = new DataSet(Nd4j.rand(DataType.FLOAT, 2, 5), Nd4j.eye(2).castTo(DataType.FLOAT));
        File f0 = dir.resolve("b-0.bin").toFile();
        File f1 = dir.resolve("b-1.bin").toFile();
        big.save(f0);
        small.save(f1);
        assertTrue(f0.length() > FileBatchSource.DL4J_LOAD_BUFFER_BYTES, "the file must span the buffer");

        FileBatchSource source = FileBatchSource.of(List.of(f0, f1), null);
        for (int b = 0; b < 2; b++) {
            DataSet expected = new DataSet();
            expected.load(b == 0 ? f0 : f1);
            DataSet read = source.loadBatches(new int[] {b});
            // Bit for bit: INDArray.equals would allow a small tolerance.
            assertArrayEquals(expected.getFeatures().shape(), read.getFeatures().shape(), "feature shape of file " + b);
            assertArrayEquals(expected.getFeatures().data().asFloat(), read.getFeatures().data().asFloat(),
                    "features of file " + b);
            assertArrayEquals(expected.getLabels().data().asFloat(), read.getLabels().data().asFloat(),
                    "labels of file " + b);
        }
        IOException e = assertThrows(IOException.class, () -> source.loadBatches(new int[] {1, 0}));
        assertTrue(e.getMessage().contains("file 1 (b-1.bin) features [2, 5], file 0 (b-0.bin) features [3, 100000]"),
                e.getMessage());
        assertEquals(4, source.loadBatches(new int[] {1, 1}).numExamples(), "files of one shape merge");
    }
}
