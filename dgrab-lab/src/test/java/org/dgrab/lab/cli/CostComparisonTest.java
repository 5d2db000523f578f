package org.dgrab.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.dgrab.lab.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of {@code dgrab cost --compare-to} that launch nothing: arguments, classpaths, alternation, overheads. */
class CostComparisonTest {

    @TempDir
    Path tmp;

    @Test
    void labMainIsNamedRight() {
        assertEquals(Main.class.getName(), CostComparison.LAB_MAIN);
    }

    @Test
    void childRunsGetTheSameOptionsWithoutTheComparisonsOwn() {
        Path out = tmp.resolve("this-0");
        List<String> args = CostComparison.childArgs(List.of("--model", "mlp", "--compare-to", "/x/base", "--rounds=4",
                "--out", "runs/a", "--granularities", "batch,example-last-layer", "--out=runs/b", "--rounds", "2",
                "--compare-to=/y"), out);
        assertEquals(List.of("cost", "--model", "mlp", "--granularities", "batch,example-last-layer", "--out",
                out.toString()), args);
    }

    @Test
    void buildsAlternateWhichRunsFirst() {
        List<String> s = CostComparison.sequence(3);
        assertEquals(List.of("this", "other", "other", "this", "this", "other"), s);
        // Every round runs both builds once, so each build runs exactly `rounds` times and first in about half.
        assertEquals(3, Collections.frequency(s, CostComparison.THIS));
        assertEquals(3, Collections.frequency(s, CostComparison.OTHER));
        assertThrows(IllegalArgumentException.class, () -> CostComparison.sequence(0));
    }

    @Test
    void aCheckoutsClasspathPutsItsModuleClassesBeforeItsDependencies() throws Exception {
        Path root = built("checkout", "dgrab-lab", Main.class.getName());
        CostComparison.Build b = CostComparison.buildOf(root);
        assertEquals(List.of(root.resolve("dgrab-lab/target/classes").toString(),
                root.resolve("dgrab-examples/target/classes").toString(),
                root.resolve("dgrab-dl4j/target/classes").toString(), root.resolve("dgrab-core/target/classes").toString(),
                "/m2/a.jar", "/m2/b.jar"), b.classpath());
        assertEquals(Main.class.getName(), b.mainClass());
    }

    @Test
    void aCheckoutFromBeforeTheLabModuleRunsTheExamplesMain() throws Exception {
        Path root = built("old", "dgrab-examples", "org.dgrab.examples.Main");
        CostComparison.Build b = CostComparison.buildOf(root);
        assertEquals(root.resolve("dgrab-examples/target/classes").toString(), b.classpath().get(0));
        assertEquals("org.dgrab.examples.Main", b.mainClass());
    }

    /** A fake built checkout: the main class file and classpath.txt in {@code module/target}. */
    private Path built(String name, String module, String mainClass) throws Exception {
        Path root = tmp.resolve(name);
        Path main = root.resolve(module + "/target/classes/" + mainClass.replace('.', '/') + ".class");
        Files.createDirectories(main.getParent());
        Files.writeString(main, "");
        Files.writeString(root.resolve(module + "/target/classpath.txt"), "/m2/a.jar:/m2/b.jar\n");
        return root;
    }

    @Test
    void aJarTakesTheClasspathFileBesideIt() throws Exception {
        Path jar = tmp.resolve("target/dgrab-lab.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "");
        assertEquals(List.of(jar.toString()), CostComparison.buildOf(jar).classpath());
        Files.writeString(tmp.resolve("target/classpath.txt"), "/m2/c.jar");
        assertEquals(List.of(jar.toString(), "/m2/c.jar"), CostComparison.buildOf(jar).classpath());
    }

    @Test
    void anUnbuiltCheckoutIsRefusedNamingWhatIsMissing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CostComparison.buildOf(tmp));
        assertTrue(e.getMessage().contains("classpath.txt"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CostComparison.buildOf(tmp.resolve("none.txt")));
    }

    @Test
    void overheadsComeFromMedianEpochsWithoutTheWarmUp() throws Exception {
        Path csv = tmp.resolve("cost.csv");
        Files.write(csv, List.of("granularity,order,repeat,epoch,epoch_seconds,ordering_seconds,messages,bytes",
                "batch,d-rr,0,0,9.0,0,0,0", "batch,d-rr,0,1,1.0,0,0,0", "batch,d-rr,0,2,3.0,0,0,0",
                "batch,cd-grab,0,0,9.0,0,5,10", "batch,cd-grab,0,1,2.2,0,5,10", "batch,cd-grab,0,2,2.2,0,5,10",
                "example-last-layer,d-rr,0,1,2.0,0,0,0"), StandardCharsets.UTF_8);
        Map<String, Map<String, Double>> m = CostComparison.medianEpochs(csv);
        assertEquals(2.0, m.get("batch").get("d-rr"), 1e-12);
        assertEquals(2.2, m.get("batch").get("cd-grab"), 1e-12);
        Map<String, Double> o = CostComparison.overheads(m, "d-rr", "cd-grab");
        // Only granularities with both orders have an overhead.
        assertEquals(Map.of("batch", 0.1), Map.of("batch", Math.round(o.get("batch") * 1e12) / 1e12));
        assertEquals(1, o.size());
    }

    @Test
    void cpuColumnsAreReadWhereTheyExistAndLeftOutOfOlderFiles() throws Exception {
        Path csv = tmp.resolve("new.csv");
        Files.write(csv, List.of("granularity,order,repeat,epoch,epoch_seconds,ordering_seconds,messages,bytes,"
                + "train_thread_cpu_seconds,process_cpu_seconds", "batch,d-rr,0,1,1.0,0,0,0,0.8,0.9",
                "batch,cd-grab,0,1,1.5,0,0,0,0.9,1.2"), StandardCharsets.UTF_8);
        assertEquals(1.2, CostComparison.medians(csv, "process_cpu_seconds").get("batch").get("cd-grab"), 1e-12);
        Path old = tmp.resolve("old.csv");
        Files.write(old, List.of("granularity,order,repeat,epoch,epoch_seconds,ordering_seconds,messages,bytes",
                "batch,d-rr,0,1,1.0,0,0,0"), StandardCharsets.UTF_8);
        assertTrue(CostComparison.medians(old, "process_cpu_seconds").isEmpty());
        assertEquals(1.0, CostComparison.medians(old, "epoch_seconds").get("batch").get("d-rr"), 1e-12);
    }

    @Test
    void aFileWithoutTheEpochColumnsIsRefusedByName() throws Exception {
        Path csv = tmp.resolve("other.csv");
        Files.write(csv, List.of("granularity,order", "batch,d-rr"), StandardCharsets.UTF_8);
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> CostComparison.medianEpochs(csv));
        assertTrue(e.getMessage().contains("'epoch'"), e.getMessage());
    }

    @Test
    void theCommandRefusesABuildThatIsNotThere() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), new String[] {"cost", "--compare-to",
                tmp.resolve("missing").toString(), "--out", tmp.resolve("out").toString()});
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("--compare-to"), err.toString());
        err.getBuffer().setLength(0);
        code = Main.run(new PrintWriter(out), new PrintWriter(err), new String[] {"cost", "--rounds", "0",
                "--out", tmp.resolve("out").toString()});
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("--rounds"), err.toString());
    }

    @Test
    void theChildCommandRunsTheMainClassOnTheGivenClasspath() {
        List<String> c = CostComparisonRun.command("/b/classes:/m2/x.jar", Main.class.getName(),
                List.of("cost", "--out", "o"));
        assertTrue(c.get(0).endsWith("java"), c.get(0));
        int cp = c.indexOf("-cp");
        assertEquals("/b/classes:/m2/x.jar", c.get(cp + 1));
        assertEquals(List.of(Main.class.getName(), "cost", "--out", "o"), c.subList(cp + 2, c.size()));
        for (String a : c) {
            assertTrue(!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.contains("FlightRecord"), a);
        }
    }
}
