package org.dgrab.core;

import java.util.Locale;

import org.dgrab.core.OrderingConfig.Kind;

/**
 * The names by which {@link Kind#parse} finds an ordering: each kind's {@link Kind#id()}, the aliases, and the
 * message that lists them when a name is missing or unknown. Stateless.
 */
final class KindNames {
    private static final String VALID_NAMES = "cd-grab, cd-grab-recursive, d-rr, id-grab-pair, id-grab-mean, "
            + "shuffle-once, fixed (aliases: rr, grab, mean-balance, pair-balance, pair-recursive)";

    private KindNames() {
    }

    /**
     * Looks a kind up by its id or an alias.
     *
     * @param name the name, case-insensitive, surrounding blanks ignored
     * @return the kind
     * @throws IllegalArgumentException for a null, blank or unknown name, listing the valid names
     */
    static Kind parse(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("ordering name is " + (name == null ? "null" : "blank ('" + name + "')")
                    + "; valid: " + VALID_NAMES);
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "rr":
            case "random":
            case "d-rr":
                return Kind.RANDOM_RESHUFFLING;
            case "grab":
            case "mean-balance":
            case "id-grab-mean":
                return Kind.MEAN_BALANCE;
            case "pair-balance":
            case "id-grab-pair":
                return Kind.PAIR_BALANCE;
            case "cdgrab":
            case "cd-grab":
                return Kind.CD_GRAB;
            case "cd-grab-recursive":
            case "pair-recursive":
                return Kind.CD_GRAB_RECURSIVE;
            case "shuffle-once":
                return Kind.SHUFFLE_ONCE;
            case "fixed":
                return Kind.FIXED;
            default:
                throw new IllegalArgumentException("unknown ordering '" + name + "'; valid: " + VALID_NAMES);
        }
    }
}
