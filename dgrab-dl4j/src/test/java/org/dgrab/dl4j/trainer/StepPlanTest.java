package org.dgrab.dl4j.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.TestData;
import org.dgrab.dl4j.internal.data.UnitLayout;
import org.junit.jupiter.api.Test;

/** {@link StepPlan}: unit sizes per granularity and which positions each worker computes at each step. */
class StepPlanTest {

    @Test
    void unitSizePerGranularity() {
        assertEquals(8, StepPlan.unitSize(Granularity.BATCH, 8, 1));
        assertEquals(2, StepPlan.unitSize(Granularity.EXAMPLE_EXACT, 8, 2));
        assertEquals(1, StepPlan.unitSize(Granularity.EXAMPLE_LAST_LAYER, 8, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StepPlan.unitSize(Granularity.EXAMPLE_EXACT, 8, 3));
        assertTrue(e.getMessage().contains("batch size 8") && e.getMessage().contains("micro-batch size 3"), e.getMessage());
    }

    @Test
    void unevenShardsSitOutTheLastSteps() {
        // Worker 0: 7 examples, worker 1: 4; three units per step.
        UnitLayout layout = UnitLayout.of(new int[][] {TestData.range(0, 7), TestData.range(7, 11)}, 1);
        StepPlan plan = StepPlan.of(layout, 3);
        assertEquals(3, plan.stepsPerEpoch());
        assertEquals(6, plan.from(2));
        assertEquals(7, plan.to(0, 2));
        assertTrue(plan.active(0, 2));
        assertEquals(4, plan.to(1, 1));
        assertTrue(plan.active(1, 1));
        assertFalse(plan.active(1, 2));
    }
}
