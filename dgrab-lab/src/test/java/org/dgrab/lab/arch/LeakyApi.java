package org.dgrab.lab.arch;

import java.util.List;

import org.dgrab.core.internal.random.SplitMix64;
import org.dgrab.lab.arch.internal.LeakyFailure;

/**
 * For {@code ArchitectureTest.theInternalTypeRuleCatchesALeak}: a stand-in API type with every kind of leak the rule
 * must see (parameter, return type, type argument, thrown type, field, constructor, a public nested type), and a
 * private member it must not.
 */
public class LeakyApi {
    public SplitMix64 generator;

    public LeakyApi(SplitMix64 generator) {
        this.generator = generator;
    }

    public void take(SplitMix64 rng) {
    }

    public SplitMix64 give() {
        return hidden();
    }

    public List<SplitMix64> generators() {
        return List.of(generator);
    }

    public void fail() throws LeakyFailure {
    }

    private SplitMix64 hidden() {
        return generator;
    }

    /** A public nested type of an API type is API too. */
    public static class Nested {
        public void take(SplitMix64 rng) {
        }
    }
}
