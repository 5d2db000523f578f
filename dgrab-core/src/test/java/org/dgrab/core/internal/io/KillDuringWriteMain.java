package org.dgrab.core.internal.io;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * A writer process for {@link AtomicFilesTest}: replaces one file with {@link AtomicFiles#write} over and over,
 * generation 1, 2, ..., until it is killed. Generation {@code g} is {@link #SIZE} bytes, all equal to {@code g % 251},
 * so a reader can tell a complete file from a torn or truncated one.
 */
public final class KillDuringWriteMain {
    /** Bytes per generation: large enough that a kill often lands inside a write. */
    static final int SIZE = 4 << 20;

    private KillDuringWriteMain() {
    }

    /**
     * @param args the target file
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        byte[] chunk = new byte[64 << 10];
        for (int g = 1; ; g++) {
            Arrays.fill(chunk, (byte) (g % 251));
            AtomicFiles.write(target, out -> {
                for (int written = 0; written < SIZE; written += chunk.length) {
                    out.write(chunk);
                }
            });
        }
    }
}
