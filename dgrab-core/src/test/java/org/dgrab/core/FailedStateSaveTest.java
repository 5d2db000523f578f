package org.dgrab.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.dgrab.core.OrderingConfig.Kind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A strategy that refused a non-finite gradient under {@code NonFinitePolicy.FAIL} refuses to be saved until it got
 * past that step (or a checkpoint was restored): a checkpoint of that point would resume into the same failure. The
 * file-based {@code save(Path)} then leaves the last good checkpoint as it was.
 */
class FailedStateSaveTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"MEAN_BALANCE", "PAIR_BALANCE", "CD_GRAB", "CD_GRAB_RECURSIVE"})
    void aFailedStateIsNotSavedUntilTheStepIsRetriedOrACheckpointRestored(Kind kind) throws IOException {
        Path file = tmp.resolve("ordering.bin");
        try (OrderingStrategy s = OrderingConfig.builder(kind).optSeed(3).build().createUniform(2, 4)) {
            s.observe(0, 0, new double[] {1, 2}, 0, 2);
            s.observe(1, 0, new double[] {2, 1}, 0, 2);
            s.save(file);
            byte[] good = Files.readAllBytes(file);

            s.observe(1, 1, new double[] {1, 1}, 0, 2);
            assertThrows(NonFiniteGradientException.class, () -> s.observe(0, 1, new double[] {Double.NaN, 0}, 0, 2));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.save(file));
            assertTrue(e.getMessage().contains("worker 0") && e.getMessage().contains("NonFinitePolicy.FAIL")
                    && e.getMessage().contains("restore the last good checkpoint"), e.getMessage());
            assertTrue(e.getCause() instanceof NonFiniteGradientException, "the failure is the cause");
            assertThrows(IllegalStateException.class, () -> s.save(new ByteArrayOutputStream()));
            assertArrayEquals(good, Files.readAllBytes(file), "the last good checkpoint is left as it was");
            try (Stream<Path> files = Files.list(tmp)) {
                assertEquals(1, files.count(), "no temporary left beside it");
            }

            // Restoring the last good checkpoint clears the failure.
            s.restore(file);
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            s.save(again);
            assertArrayEquals(good, again.toByteArray());

            // So does getting past the step with a finite gradient.
            s.observe(1, 1, new double[] {1, 1}, 0, 2);
            assertThrows(NonFiniteGradientException.class, () -> s.observe(0, 1, new double[] {0, Double.NaN}, 0, 2));
            assertThrows(IllegalStateException.class, () -> s.save(new ByteArrayOutputStream()));
            s.observe(0, 1, new double[] {3, 3}, 0, 2);
            s.save(file);
            OrderingStrategy resumed = s.copy();
            resumed.restore(file);
            assertEquals(s.epoch(), resumed.epoch());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RANDOM_RESHUFFLING", "PAIR_BALANCE"})
    void restoreOfAMissingFileNamesIt(Kind kind) {
        try (OrderingStrategy s = OrderingConfig.builder(kind).build().createUniform(1, 3)) {
            Path missing = tmp.resolve("none.bin");
            IOException e = assertThrows(IOException.class, () -> s.restore(missing));
            assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        }
    }
}
