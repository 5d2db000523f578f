package org.dgrab.core.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class HerdingSimulationTest {

    @Test
    void cdGrabBoundIsTenTimesBelowDistributedRandomReshuffling() {
        Map<String, double[]> r = HerdingSimulation.builder().setWorkers(8).setPerWorker(20000).optDim(16).optRounds(5)
                .optSeed(1).build().run(null);
        double cd = r.get("cd-grab")[5];
        double rr = r.get("d-rr")[5];
        System.out.println("herding n=8 m=20000 d=16 after 5 rounds: " + r.keySet() + " cd=" + cd + " rr=" + rr
                + " mean=" + r.get("id-grab-mean")[5] + " pair=" + r.get("id-grab-pair")[5]);
        assertTrue(cd * 10 <= rr, "CD-GraB bound " + cd + " is not 10x below D-RR's " + rr);
        // Round 0 is the common seeded random start, so every strategy begins from the same bound.
        assertEquals(r.get("cd-grab")[0], rr > 0 ? r.get("d-rr")[0] : 0, 0.0);
    }
}
