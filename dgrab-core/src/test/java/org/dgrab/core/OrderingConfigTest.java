package org.dgrab.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.dgrab.core.OrderingConfig.Kind;
import org.dgrab.core.balance.SignRule;
import org.junit.jupiter.api.Test;

class OrderingConfigTest {

    @Test
    void parsesIdsAndAliases() {
        for (Kind k : Kind.values()) {
            assertSame(k, Kind.parse(k.id()));
            assertSame(k, Kind.parse("  " + k.id().toUpperCase() + " "));
        }
        assertSame(Kind.RANDOM_RESHUFFLING, Kind.parse("rr"));
        assertSame(Kind.RANDOM_RESHUFFLING, Kind.parse("random"));
        assertSame(Kind.RANDOM_RESHUFFLING, Kind.parse("d-rr"));
        assertSame(Kind.MEAN_BALANCE, Kind.parse("grab"));
        assertSame(Kind.MEAN_BALANCE, Kind.parse("mean-balance"));
        assertSame(Kind.MEAN_BALANCE, Kind.parse("id-grab-mean"));
        assertSame(Kind.PAIR_BALANCE, Kind.parse("pair-balance"));
        assertSame(Kind.PAIR_BALANCE, Kind.parse("Id-GraB-Pair"));
        assertSame(Kind.CD_GRAB, Kind.parse("cdgrab"));
        assertSame(Kind.CD_GRAB, Kind.parse("CD-GraB"));
        assertSame(Kind.SHUFFLE_ONCE, Kind.parse("shuffle-once"));
        assertSame(Kind.FIXED, Kind.parse("fixed"));
        assertEquals("cd-grab", Kind.CD_GRAB.id());
        assertEquals("d-rr", Kind.RANDOM_RESHUFFLING.id());
    }

    @Test
    void badNameListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kind.parse("herding"));
        assertTrue(e.getMessage().contains("'herding'"), e.getMessage());
        for (Kind k : Kind.values()) {
            assertTrue(e.getMessage().contains(k.id()), e.getMessage() + " lacks " + k.id());
        }
        assertTrue(e.getMessage().contains("grab") && e.getMessage().contains("rr"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Kind.parse(""));
        assertThrows(IllegalArgumentException.class, () -> OrderingConfig.of("cd grab", 1));
    }

    @Test
    void nullAndBlankNamesAreRefusedWithTheValidOnes() {
        for (String name : new String[] {null, "", "   "}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OrderingConfig.of(name, 0));
            assertTrue(e.getMessage().contains(name == null ? "ordering name is null" : "ordering name is blank"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("cd-grab") && e.getMessage().contains("d-rr"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Kind.parse(name));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SignRule.parse(null));
        assertTrue(e.getMessage().contains("sign rule is null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OrderingConfig.of("cd-grab", 0).create((int[]) null));
        assertTrue(e.getMessage().contains("units per worker is null"), e.getMessage());
    }

    @Test
    void needsGradients() {
        assertTrue(Kind.MEAN_BALANCE.needsGradients());
        assertTrue(Kind.PAIR_BALANCE.needsGradients());
        assertTrue(Kind.CD_GRAB.needsGradients());
        assertFalse(Kind.RANDOM_RESHUFFLING.needsGradients());
        assertFalse(Kind.SHUFFLE_ONCE.needsGradients());
        assertFalse(Kind.FIXED.needsGradients());
    }

    @Test
    void defaults() {
        OrderingConfig c = OrderingConfig.builder(Kind.CD_GRAB).build();
        assertEquals(0, c.seed());
        assertEquals(SignRule.deterministic(), c.signRule());
        assertEquals(NonFinitePolicy.FAIL, c.nonFinitePolicy());
        assertEquals(0, c.sketchDim());
        assertEquals(Duration.ofMinutes(10), c.signTimeout());
        OrderingConfig o = OrderingConfig.of("pair-balance", 9);
        assertEquals(Kind.PAIR_BALANCE, o.kind());
        assertEquals(9, o.seed());
    }

    @Test
    void optionsAreKept() {
        OrderingConfig c = OrderingConfig.builder(Kind.CD_GRAB).optSeed(-3).optSignRule(SignRule.probabilistic(2))
                .optNonFinitePolicy(NonFinitePolicy.SKIP).optSketchDim(64).optSignTimeout(Duration.ofSeconds(5)).build();
        assertEquals(-3, c.seed());
        assertEquals(SignRule.probabilistic(2), c.signRule());
        assertEquals(NonFinitePolicy.SKIP, c.nonFinitePolicy());
        assertEquals(64, c.sketchDim());
        assertEquals(Duration.ofSeconds(5), c.signTimeout());
        OrderingConfig d = c.withSeed(8);
        assertEquals(8, d.seed());
        assertEquals(c.signRule(), d.signRule());
        assertEquals(c.nonFinitePolicy(), d.nonFinitePolicy());
        assertEquals(c.sketchDim(), d.sketchDim());
        assertEquals(c.signTimeout(), d.signTimeout());
        assertEquals(-3, c.seed(), "withSeed does not modify the original");
        assertEquals(c, d.withSeed(-3));
        assertEquals(c.hashCode(), d.withSeed(-3).hashCode());
        assertNotEquals(c, d);
        assertTrue(c.toString().contains("cd-grab") && c.toString().contains("seed=-3")
                && c.toString().contains("probabilistic(2.0)") && c.toString().contains("SKIP")
                && c.toString().contains("sketch=64"), c.toString());
        assertEquals("d-rr(seed=4)", OrderingConfig.of("rr", 4).toString());
        assertNotEquals(c, OrderingConfig.builder(Kind.CD_GRAB).optSeed(-3).optSignRule(SignRule.probabilistic(2))
                .optNonFinitePolicy(NonFinitePolicy.SKIP).optSketchDim(64).build(), "sign timeout is part of equality");
        assertNotEquals(OrderingConfig.of("pair-balance", 1), OrderingConfig.of("cd-grab", 1));
    }

    @Test
    void rejectsOptionsTheStrategyWouldIgnore() {
        for (Kind k : new Kind[] {Kind.RANDOM_RESHUFFLING, Kind.SHUFFLE_ONCE, Kind.FIXED}) {
            OrderingConfig.Builder b = OrderingConfig.builder(k);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.optSignRule(SignRule.deterministic()));
            assertTrue(e.getMessage().contains(k.id()) && e.getMessage().contains("sign rule"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> b.optNonFinitePolicy(NonFinitePolicy.SKIP));
            assertTrue(e.getMessage().contains(k.id()), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> b.optSketchDim(8));
            assertTrue(e.getMessage().contains(k.id()) && e.getMessage().contains("sketch"), e.getMessage());
            b.optSeed(1).build();
        }
        for (Kind k : new Kind[] {Kind.RANDOM_RESHUFFLING, Kind.MEAN_BALANCE, Kind.PAIR_BALANCE, Kind.FIXED}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OrderingConfig.builder(k).optSignTimeout(Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("cd-grab") && e.getMessage().contains(k.id()), e.getMessage());
        }
    }

    @Test
    void rejectsBadValues() {
        OrderingConfig.Builder b = OrderingConfig.builder(Kind.CD_GRAB);
        assertThrows(IllegalArgumentException.class, () -> OrderingConfig.builder(null));
        assertThrows(IllegalArgumentException.class, () -> b.optSignRule(null));
        assertThrows(IllegalArgumentException.class, () -> b.optNonFinitePolicy(null));
        assertThrows(IllegalArgumentException.class, () -> b.optSketchDim(0));
        assertThrows(IllegalArgumentException.class, () -> b.optSketchDim(-2));
        assertThrows(IllegalArgumentException.class, () -> b.optSignTimeout(null));
        assertThrows(IllegalArgumentException.class, () -> b.optSignTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> b.optSignTimeout(Duration.ofSeconds(-1)));
        assertEquals(0, b.build().sketchDim(), "rejected calls changed nothing");
    }

    @Test
    void createsTheStrategyOfEachKind() {
        assertInstanceOf(RandomReshuffling.class, OrderingConfig.of("d-rr", 0).create(2));
        assertInstanceOf(ShuffleOnce.class, OrderingConfig.of("shuffle-once", 0).create(2));
        assertInstanceOf(FixedOrder.class, OrderingConfig.of("fixed", 0).create(2));
        assertInstanceOf(MeanBalance.class, OrderingConfig.of("id-grab-mean", 0).create(2));
        assertInstanceOf(PairBalance.class, OrderingConfig.of("id-grab-pair", 0).create(2));
        assertInstanceOf(CoordinatedPairBalance.class, OrderingConfig.of("cd-grab", 0).create(2));
        OrderingConfig c = OrderingConfig.of("cd-grab", 5);
        OrderingStrategy a = c.create(3, 4);
        OrderingStrategy b = c.create(3, 4);
        assertSame(c, a.config());
        a.observe(0, 0, new double[] {1}, 0, 1);
        b.observe(0, 0, new double[] {1}, 0, 1); // would be "already observed" if the two shared state
        assertEquals(3, b.units(0));
    }
}
