package org.dgrab.lab.arch;

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
 * not know Spark, no library module knows the examples or the lab (dgrab-lab, the experiment harness), and the
 * examples do not know the lab; packages form no new cycles. It lives in dgrab-lab because only the lab's test
 * classpath holds every module. Cycles that exist today are frozen in {@code src/test/resources/archunit_store}
 * (ArchUnit's own way of recording known violations): a new cycle fails, and a removed one is dropped from the store.
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
                        "org.dgrab.spark..", "org.dgrab.examples..", "org.dgrab.lab..")
                .check(classes);
    }

    @Test
    void dl4jLayerKnowsNeitherSparkNorTheExamples() {
        noClasses().that().resideInAPackage("org.dgrab.dl4j..").should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.spark..", "org.dgrab.spark..", "org.dgrab.examples..",
                        "org.dgrab.lab..")
                .check(classes);
    }

    @Test
    void sparkLayerDoesNotKnowTheExamples() {
        noClasses().that().resideInAPackage("org.dgrab.spark..").should().dependOnClassesThat()
                .resideInAnyPackage("org.dgrab.examples..", "org.dgrab.lab..").check(classes);
    }

    @Test
    void examplesDoNotKnowTheLab() {
        // What a DL4J user reads must build without Spark, JMH, picocli or charts: the lab may use the examples,
        // never the other way round.
        noClasses().that().resideInAPackage("org.dgrab.examples..").should().dependOnClassesThat()
                .resideInAnyPackage("org.dgrab.lab..", "org.dgrab.spark..", "org.apache.spark..").check(classes);
    }

    @Test
    void examplesAndLabAreOnTheClasspath() {
        // The rules above pass vacuously if a module's classes are missing from the import.
        for (String pkg : new String[] {"org.dgrab.core", "org.dgrab.dl4j", "org.dgrab.spark", "org.dgrab.examples",
                "org.dgrab.lab"}) {
            if (classes.stream().noneMatch(c -> c.getPackageName().startsWith(pkg))) {
                throw new AssertionError("no classes of " + pkg + " were imported");
            }
        }
    }

    @Test
    void noNewPackageCycles() {
        ArchRule rule = slices().matching("org.dgrab.(**)").should().beFreeOfCycles();
        FreezingArchRule.freeze(rule).check(classes);
    }
}
