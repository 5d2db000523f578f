package org.dgrab.dl4j.iterator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaData;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.NumberedFileInputSplit;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A {@code RecordReaderDataSetIterator} is read on demand: after one pass that records every example's
 * {@code RecordMetaData}, every epoch loads every example again through the reader (so its transforms and the
 * iterator's pre-processor run on every read), and training equals training on an in-memory copy of the same data.
 */
class RecordReaderSourceTest {
    private static final int FILES = 6;
    private static final int PER_FILE = 8;
    private static final DataSet ALL = TestData.blobs(FILES * PER_FILE, 5, 3, 7);

    @TempDir
    Path dir;

    /** A CSV reader that counts its sequential reads and, per line, its loads by metadata (where a real reader augments). */
    static final class CountingCsvReader extends CSVRecordReader {
        final Map<String, Integer> loads = new ConcurrentHashMap<>();
        final AtomicInteger sequential = new AtomicInteger();

        @Override
        public Record nextRecord() {
            sequential.incrementAndGet();
            return super.nextRecord();
        }

        @Override
        public List<Record> loadFromMetaData(List<RecordMetaData> meta) throws IOException {
            for (RecordMetaData m : meta) {
                loads.merge(m.getLocation(), 1, Integer::sum);
            }
            return super.loadFromMetaData(meta);
        }
    }

    private void writeCsv() throws IOException {
        for (int f = 0; f < FILES; f++) {
            StringBuilder sb = new StringBuilder();
            for (int r = f * PER_FILE; r < (f + 1) * PER_FILE; r++) {
                for (int c = 0; c < 5; c++) {
                    sb.append(String.format(Locale.ROOT, "%.9g,", ALL.getFeatures().getDouble(r, c)));
                }
                sb.append(ALL.getLabels().getRow(r).argMax().getInt(0)).append('\n');
            }
            Files.writeString(dir.resolve("part-" + f + ".csv"), sb.toString());
        }
    }

    private RecordReaderDataSetIterator csvIterator(CountingCsvReader reader) throws Exception {
        reader.initialize(new NumberedFileInputSplit(dir.resolve("part-%d.csv").toString(), 0, FILES - 1));
        return new RecordReaderDataSetIterator(reader, PER_FILE, 5, 3);
    }

    private static OrderedDataSetIterator wrap(org.nd4j.linalg.dataset.api.iterator.DataSetIterator source,
                                               MultiLayerNetwork net, Granularity g) {
        return OrderedDataSetIterator.builder().setSource(source).setModel(net).optGranularity(g)
                .optOrdering(OrderingConfig.of("cd-grab", 3)).build();
    }

    @ParameterizedTest
    @EnumSource(value = Granularity.class, names = {"BATCH", "EXAMPLE_LAST_LAYER"})
    void everyEpochReadsEveryExampleAgainAndTrainsAsOnACopy(Granularity g) throws Exception {
        writeCsv();
        CountingCsvReader reader = new CountingCsvReader();
        RecordReaderDataSetIterator source = csvIterator(reader);
        NormalizerStandardize norm = new NormalizerStandardize();
        norm.fit(ALL);
        source.setPreProcessor(norm);
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator it = wrap(source, net, g);
        assertTrue(it.source().onDemand(), "a record-reader iterator is read on demand");
        net.fit(it, 3);

        // One sequential pass records the metadata; RecordReaderDataSetIterator reads its first record once more to size itself.
        assertEquals(FILES * PER_FILE + 1, reader.sequential.get(), "one sequential pass, to record the metadata");
        assertEquals(FILES * PER_FILE, reader.loads.size(), "every example was loaded by its metadata");
        reader.loads.forEach((line, n) -> assertEquals(3, n, line + " is read once per epoch"));

        // The same data copied into memory (through a reader of the same files, normalised alike) trains identically.
        RecordReaderDataSetIterator again = csvIterator(new CountingCsvReader());
        again.setPreProcessor(norm);
        List<DataSet> copy = new ArrayList<>();
        again.forEachRemaining(copy::add);
        MultiLayerNetwork ref = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator inMemory = wrap(new ExistingDataSetIterator(copy), ref, g);
        assertTrue(!inMemory.source().onDemand());
        ref.fit(inMemory, 3);
        assertArrayEquals(TestData.params(ref), TestData.params(net), 0f);
    }

    @Test
    void aPreProcessorSetOnTheSourceLaterAppliesFromThenOn() throws Exception {
        writeCsv();
        RecordReaderDataSetIterator source = csvIterator(new CountingCsvReader());
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator it = wrap(source, net, Granularity.EXAMPLE_LAST_LAYER);
        net.fit(it, 1);
        AtomicInteger calls = new AtomicInteger();
        source.setPreProcessor(d -> calls.incrementAndGet());
        net.fit(it, 2);
        assertEquals(2 * it.batchesPerEpoch(), calls.get(), "the source's pre-processor ran on every load of epochs 2-3");
    }

    @ParameterizedTest
    @EnumSource(value = Granularity.class, names = {"BATCH", "EXAMPLE_LAST_LAYER"})
    void resumeFromACheckpointIsBitIdentical(Granularity g) throws Exception {
        writeCsv();
        MultiLayerNetwork full = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        full.fit(wrap(csvIterator(new CountingCsvReader()), full, g), 3);

        MultiLayerNetwork first = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator it = wrap(csvIterator(new CountingCsvReader()), first, g);
        first.fit(it, 1);
        File ckpt = dir.resolve("ckpt.zip").toFile();
        OrderingCheckpoint.save(ckpt, first, it);

        MultiLayerNetwork resumed = ModelSerializer.restoreMultiLayerNetwork(ckpt, true);
        OrderedDataSetIterator again = wrap(csvIterator(new CountingCsvReader()), resumed, g);
        OrderingCheckpoint.restore(ckpt, again);
        resumed.fit(again, 2);
        assertArrayEquals(TestData.params(full), TestData.params(resumed), 0f);
    }

    @Test
    void aDeletedFileIsNamedWhenItIsLoaded() throws Exception {
        writeCsv();
        MultiLayerNetwork net = TestData.mlp(5, 6, 3, new Adam(0.01), 4);
        OrderedDataSetIterator it = wrap(csvIterator(new CountingCsvReader()), net, Granularity.EXAMPLE_LAST_LAYER);
        net.fit(it, 1);
        Files.delete(dir.resolve("part-4.csv"));
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> net.fit(it, 1));
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains("could not load batch") && message.contains("RecordMetaData"), message);
    }
}
