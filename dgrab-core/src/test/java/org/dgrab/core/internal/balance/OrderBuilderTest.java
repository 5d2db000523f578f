package org.dgrab.core.internal.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OrderBuilderTest {

    @Test
    void plusGoesToTheFrontMinusToTheBack() {
        OrderBuilder b = new OrderBuilder();
        b.reset(5);
        assertEquals(0, b.placed());
        b.place(1, 10);  // [10 _ _ _ _]
        b.place(-1, 11); // [10 _ _ _ 11]
        b.place(-1, 12); // [10 _ _ 12 11]
        b.place(1, 13);  // [10 13 _ 12 11]
        assertEquals(4, b.placed());
        assertFalse(b.isComplete());
        b.place(-1, 14); // the last free slot, in the middle
        assertTrue(b.isComplete());
        assertEquals(5, b.placed());
        assertArrayEquals(new int[] {10, 13, 14, 12, 11}, b.result());
    }

    @Test
    void placePairPutsThePlusUnitInFront() {
        OrderBuilder b = new OrderBuilder();
        b.reset(6);
        b.placePair(1, 0, 1);  // sign +1: first to front, second to back: [0 _ _ _ _ 1]
        b.placePair(-1, 2, 3); // sign -1: second to front, first to back: [0 3 _ _ 2 1]
        b.placePair(-1, 4, 5); // [0 3 5 4 2 1]
        assertArrayEquals(new int[] {0, 3, 5, 4, 2, 1}, b.result());
    }

    @Test
    void overfillThrowsAndLeavesTheOrderUnchanged() {
        OrderBuilder b = new OrderBuilder();
        b.reset(2);
        b.place(1, 0);
        b.place(1, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.place(-1, 2));
        assertTrue(e.getMessage().contains("full"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> b.placePair(1, 2, 3));
        assertArrayEquals(new int[] {0, 1}, b.result());

        // A pair needs two slots: with one left it is refused as a whole, not half placed.
        OrderBuilder c = new OrderBuilder();
        c.reset(3);
        c.placePair(1, 0, 1);
        assertThrows(IllegalStateException.class, () -> c.placePair(1, 2, 3));
        assertEquals(2, c.placed());
        c.place(1, 2);
        assertArrayEquals(new int[] {0, 2, 1}, c.result());
    }

    @Test
    void incompleteResultThrows() {
        OrderBuilder b = new OrderBuilder();
        b.reset(4);
        b.place(1, 0);
        b.place(-1, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, b::result);
        assertTrue(e.getMessage().contains("2 of 4"), e.getMessage());
    }

    @Test
    void resetStartsOverWithAnyLength() {
        OrderBuilder b = new OrderBuilder();
        b.reset(3);
        b.place(1, 2);
        b.reset(3);
        assertEquals(0, b.placed());
        b.place(-1, 0);
        b.place(-1, 1);
        b.place(-1, 2);
        assertArrayEquals(new int[] {2, 1, 0}, b.result());
        b.reset(1);
        b.place(-1, 0);
        assertArrayEquals(new int[] {0}, b.result());
        b.reset(0);
        assertTrue(b.isComplete());
        assertArrayEquals(new int[0], b.result());
        assertThrows(IllegalStateException.class, () -> b.place(1, 0));
    }
}
