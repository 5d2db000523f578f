package org.dgrab.core.internal.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Properties;

import org.dgrab.core.OrderingConfig;
import org.dgrab.core.internal.config.OrderingIdentity;
import org.junit.jupiter.api.Test;

/** Field-by-field configuration identities of the trainers' checkpoints ({@link ConfigIdentity}). */
class ConfigIdentityTest {
    /** What the trainers' checkpoints start from: the ordering's own fields. */
    private static final ConfigIdentity CD_GRAB = OrderingIdentity.of(OrderingConfig.of("cd-grab", 3));
    private static final ConfigIdentity RUN = CD_GRAB.with("workers", 4);

    private static ConfigIdentity roundTrip(ConfigIdentity id) {
        Properties p = new Properties();
        p.setProperty("format", "x");
        id.store(p, "config.");
        return ConfigIdentity.load(p, "config.");
    }

    @Test
    void storedFieldsAreReadBackAndAcceptedInAnyOrder() throws IOException {
        ConfigIdentity loaded = roundTrip(RUN);
        assertEquals(RUN.fields(), loaded.fields());
        assertEquals(List.of("kind", "nonFinite", "seed", "signs", "sketch", "workers"), List.copyOf(loaded.fields().keySet()));
        RUN.requireSame(loaded, "this trainer", "t");
    }

    @Test
    void aDifferentMissingOrExtraFieldIsNamedWithBothValues() {
        IOException e = assertThrows(IOException.class, () -> RUN.requireSame(roundTrip(CD_GRAB.with("workers", 2)),
                "this trainer", "cd-grab, 4 workers"));
        assertEquals("checkpoint is of another configuration: workers differs, the checkpoint has workers=2, this "
                + "trainer has workers=4 (this trainer: cd-grab, 4 workers)", e.getMessage());
        e = assertThrows(IOException.class, () -> RUN.requireSame(roundTrip(CD_GRAB), "this trainer", "t"));
        assertTrue(e.getMessage().contains("the checkpoint has workers=(none), this trainer has workers=4"),
                e.getMessage());
        e = assertThrows(IOException.class, () -> RUN.requireSame(roundTrip(RUN.with("depth", 6)), "this trainer", "t"));
        assertTrue(e.getMessage().contains("the checkpoint has depth=6, this trainer has depth=(none)"),
                e.getMessage());
    }

    @Test
    void aFieldIsNamedOnce() {
        assertThrows(IllegalArgumentException.class, () -> RUN.with("seed", 4));
        assertThrows(IllegalArgumentException.class, () -> RUN.with("a=b", 4));
    }
}
