package org.dgrab.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Granularity} names. */
class GranularityTest {
    @Test
    void parsesItsOwnNamesAndListsThemOnError() {
        for (Granularity g : Granularity.values()) {
            assertEquals(g, Granularity.parse(g.id()));
            assertEquals(g, Granularity.parse(" " + g.id().toUpperCase(java.util.Locale.ROOT) + " "));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Granularity.parse("examples"));
        assertTrue(e.getMessage().contains("'examples'") && e.getMessage().contains("example-last-layer"), e.getMessage());
    }
}
