package org.dgrab.lab.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the modules, checked on their compiled classes: core knows ND4J but not DL4J, the DL4J layer does
 * not know Spark, no library module knows the examples or the lab (dgrab-lab, the experiment harness), and the
 * examples do not know the lab and use only the public API; packages form no new cycles; the public surface of
 * the library modules is exactly {@link #PUBLIC_API}, and its signatures name no internal type. It lives in dgrab-lab because only the lab's test classpath
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
    void publicApiSignaturesNameNoInternalType() {
        apiNamesNoInternalType(PUBLIC_API).check(classes);
    }

    @Test
    void theInternalTypeRuleCatchesALeak() {
        // The rule above would pass vacuously if it looked at the wrong members; a type that leaks an internal type
        // through a parameter, a return type, a thrown type and a field must fail it, naming each.
        JavaClasses leaky = new ClassFileImporter().importClasses(LeakyApi.class, LeakyApi.Nested.class);
        AssertionError e = assertThrows(AssertionError.class,
                () -> apiNamesNoInternalType(Set.of(LeakyApi.class.getName())).check(leaky));
        for (String member : new String[] {"LeakyApi.take(", "LeakyApi.give(", "LeakyApi.fail(",
                "LeakyApi.generator names", "LeakyApi.generators(", "LeakyApi.<init>(", "LeakyApi$Nested.take("}) {
            assertTrue(e.getMessage().contains(member), member + " not named in: " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("hidden"), "a private member is no part of the API: " + e.getMessage());
    }

    /**
     * The public and protected members of the public API (the types of {@code api} and their public nested types)
     * name no type of a package containing {@code .internal} in parameters, return types (type arguments included),
     * thrown types or field types: a user who calls the API never needs a type without a compatibility promise.
     *
     * @param api names of the public top-level API types
     * @return the rule
     */
    static ArchRule apiNamesNoInternalType(Set<String> api) {
        return classes().that(DescribedPredicate.describe("are public API types", (JavaClass c) -> isApi(c, api)))
                .should(new ArchCondition<JavaClass>("name no type of an internal package in public or protected "
                        + "signatures") {
                    @Override
                    public void check(JavaClass c, ConditionEvents events) {
                        for (JavaMember m : c.getMembers()) {
                            if (!m.getModifiers().contains(JavaModifier.PUBLIC)
                                    && !m.getModifiers().contains(JavaModifier.PROTECTED)) {
                                continue;
                            }
                            for (JavaClass t : signatureTypes(m)) {
                                if (t.getPackageName().contains(".internal")) {
                                    events.add(SimpleConditionEvent.violated(m, m.getFullName() + " names internal type "
                                            + t.getName()));
                                }
                            }
                        }
                    }
                });
    }

    /** A listed type, or a public type nested (through public types only) in a listed one. */
    private static boolean isApi(JavaClass c, Set<String> api) {
        for (JavaClass t = c; ; t = t.getEnclosingClass().orElseThrow()) {
            if (!t.getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
            if (t.isTopLevelClass()) {
                return api.contains(t.getName());
            }
        }
    }

    /** The raw types a member's signature names: parameters, return type and thrown types, or a field's type. */
    private static List<JavaClass> signatureTypes(JavaMember m) {
        List<JavaClass> types = new ArrayList<>();
        if (m instanceof JavaField f) {
            types.addAll(f.getType().getAllInvolvedRawTypes());
        } else if (m instanceof JavaCodeUnit u) {
            for (JavaType p : u.getParameterTypes()) {
                types.addAll(p.getAllInvolvedRawTypes());
            }
            types.addAll(u.getReturnType().getAllInvolvedRawTypes());
            types.addAll(u.getThrowsClause().getTypes());
        }
        return types;
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
