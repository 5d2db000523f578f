package org.dgrab.examples.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the modules, checked on their compiled classes: core knows ND4J but not DL4J, the DL4J layer does
 * not know Spark, no library module knows the examples and the experiment harness, and packages form no new cycles.
 * Cycles that exist today are frozen in {@code src/test/resources/archunit_store} (ArchUnit's own way of recording
 * known violations): a new cycle fails, and a removed one is dropped from the store.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.dgrab");
    }

    @Test
    void coreKnowsNd4jButNotDl4j() {
        noClasses().that().resideInAPackage("org.dgrab.core..").should().dependOnClassesThat()
                .resideInAnyPackage("org.deeplearning4j..", "org.apache.spark..", "org.dgrab.dl4j..",
                        "org.dgrab.spark..", "org.dgrab.examples..")
                .check(classes);
    }

    @Test
    void dl4jLayerKnowsNeitherSparkNorTheExamples() {
        noClasses().that().resideInAPackage("org.dgrab.dl4j..").should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.spark..", "org.dgrab.spark..", "org.dgrab.examples..")
                .check(classes);
    }

    @Test
    void sparkLayerDoesNotKnowTheExamples() {
        noClasses().that().resideInAPackage("org.dgrab.spark..").should().dependOnClassesThat()
                .resideInAPackage("org.dgrab.examples..").check(classes);
    }

    @Test
    void noNewPackageCycles() {
        ArchRule rule = slices().matching("org.dgrab.(**)").should().beFreeOfCycles();
        FreezingArchRule.freeze(rule).check(classes);
    }
}
