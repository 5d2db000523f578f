package org.dgrab.lab.arch.internal;

/**
 * An exception in a package named {@code internal}, for {@code ArchitectureTest.theInternalTypeRuleCatchesALeak}: a
 * public API method that declares it must fail the rule (no library module has an internal exception to use).
 */
public class LeakyFailure extends Exception {
    private static final long serialVersionUID = 1L;
}
