package org.dgrab.lab.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the modules, checked on their compiled classes: core knows ND4J but not DL4J, the DL4J layer does
 * not know Spark, no library module knows the examples or the lab (dgrab-lab, the experiment harness), and the
 * examples do not know the lab and use only the public API; packages form no new cycles; and the public surface of
 * the library modules is exactly {@link #PUBLIC_API}. It lives in dgrab-lab because only the lab's test classpath
 * holds every module. Known cycles would be frozen in {@code src/test/resources/archunit_store} (ArchUnit's own way
 * of recording known violations); it holds none since the strategies moved next to their dispatch and the CD-GraB
 * protocol stopped naming the public policy types, so any package cycle fails.
 */
class ArchitectureTest {
    /**
     * The public top-level types of dgrab-core, dgrab-dl4j and dgrab-spark outside packages named {@code internal}:
     * what users call, listed with one line each in docs/architecture.md ("Public API"). A new public type fails
     * {@link #publicTypesAreTheDocumentedApi()} until it is added here and there (or made package-private, or moved
     * into an {@code internal} package, which carries no compatibility promise).
     */
    static final Set<String> PUBLIC_API = Set.of(
            // dgrab-core
            "org.dgrab.core.OrderingConfig",
            "org.dgrab.core.OrderingStrategy",
            "org.dgrab.core.OrderingStats",
            "org.dgrab.core.NonFinitePolicy",
            "org.dgrab.core.NonFiniteGradientException",
            "org.dgrab.core.DgrabOutOfMemoryError",
            "org.dgrab.core.balance.SignRule",
            "org.dgrab.core.strategy.ForwardingOrderingStrategy",
            "org.dgrab.core.diagnostics.HerdingBound",
            "org.dgrab.core.diagnostics.HerdingMonitor",
            "org.dgrab.core.diagnostics.HerdingSimulation",
            // dgrab-dl4j
            "org.dgrab.dl4j.Granularity",
            "org.dgrab.dl4j.Sharding",
            "org.dgrab.dl4j.iterator.OrderedDataSetIterator",
            "org.dgrab.dl4j.iterator.OrderedMultiDataSetIterator",
            "org.dgrab.dl4j.iterator.OrderedIterator",
            "org.dgrab.dl4j.iterator.OrderedIteratorBuilder",
            "org.dgrab.dl4j.iterator.OrderingCheckpoint",
            "org.dgrab.dl4j.iterator.OrderingCheckpointListener",
            "org.dgrab.dl4j.trainer.DataParallelTrainer",
            "org.dgrab.dl4j.trainer.TrainerBuilder",
            "org.dgrab.dl4j.trainer.EpochStats",
            "org.dgrab.dl4j.trainer.ExecutionMode",
            // dgrab-spark
            "org.dgrab.spark.SparkOrderedTrainer",
            "org.dgrab.spark.SparkTrainerBuilder",
            "org.dgrab.spark.SparkEpochStats",
            "org.dgrab.spark.SparkEpochAbortedException",
            "org.dgrab.spark.ExportedShards");

    private static final String[] LIBRARY = {"org.dgrab.core..", "org.dgrab.dl4j..", "org.dgrab.spark.."};

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
    void examplesUseOnlyThePublicApi() {
        noClasses().that().resideInAPackage("org.dgrab.examples..").should().dependOnClassesThat()
                .resideInAPackage("org.dgrab..internal..").check(classes);
    }

    @Test
    void publicTypesAreTheDocumentedApi() {
        // A public type that is not listed fails here, naming it ...
        classes().that().resideInAnyPackage(LIBRARY).and().resideOutsideOfPackage("..internal..")
                .and().areTopLevelClasses().and().arePublic()
                .should(ArchConditions.be(DescribedPredicate.describe(
                        "listed in ArchitectureTest.PUBLIC_API and docs/architecture.md (Public API)",
                        (JavaClass c) -> PUBLIC_API.contains(c.getName()))))
                .check(classes);
        // ... and a listed one that is gone, hidden or moved fails here.
        Set<String> publicTypes = classes.stream()
                .filter(c -> c.isTopLevelClass() && c.getModifiers().contains(JavaModifier.PUBLIC))
                .map(JavaClass::getName).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>(PUBLIC_API);
        missing.removeAll(publicTypes);
        assertEquals(Set.of(), missing, "listed in PUBLIC_API but not a public top-level type");
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
