package org.dgrab.bomcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.dgrab.core.OrderingConfig;
import org.dgrab.spark.SparkEpochStats;
import org.dgrab.spark.SparkOrderedTrainer;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What a user whose pom imports only dgrab-bom gets (this module's pom is that user's pom; surefire's classpath is
 * what Maven resolved from it): one Spark, Scala, Jackson and DL4J version each, SLF4J 2 with Spark's log4j2 binding
 * as its only provider (not NOP), a Spark job and a dgrab-spark epoch that run, and versions that agree with the
 * root pom's.
 */
class ConsumerPomTest {
    private static final Path ROOT = Path.of(System.getProperty("dgrab.root", "../.."));

    /** @return the properties of a pom, by name */
    private static Map<String, String> properties(Path pom) throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile())
                .getDocumentElement();
        Map<String, String> out = new TreeMap<>();
        for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && n.getNodeName().equals("properties")) {
                for (Node p = n.getFirstChild(); p != null; p = p.getNextSibling()) {
                    if (p instanceof Element) {
                        out.put(p.getNodeName(), p.getTextContent().trim());
                    }
                }
            }
            if (n instanceof Element && n.getNodeName().equals("version")) {
                out.put("project.version", n.getTextContent().trim());
            }
        }
        return out;
    }

    private static Map<String, String> bom() throws Exception {
        return properties(ROOT.resolve("dgrab-bom/pom.xml"));
    }

    /**
     * @param group a group id, e.g. org.apache.spark
     * @return version -> artifacts of that group on this JVM's classpath (jars in a Maven repository layout:
     *         .../group/as/path/artifact/version/artifact-version[-classifier].jar)
     */
    private static Map<String, TreeSet<String>> versionsOnClasspath(String group) {
        String groupPath = File.separator + group.replace('.', File.separatorChar) + File.separator;
        Map<String, TreeSet<String>> out = new TreeMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (!entry.endsWith(".jar") || jar.getParent() == null || jar.getParent().getParent() == null) {
                continue;
            }
            Path artifactDir = jar.getParent().getParent();
            if ((artifactDir.getParent() + File.separator).endsWith(groupPath)) {
                out.computeIfAbsent(jar.getParent().getFileName().toString(), v -> new TreeSet<>())
                        .add(artifactDir.getFileName().toString());
            }
        }
        return out;
    }

    private static void assertOneVersion(String group, String expected) {
        Map<String, TreeSet<String>> found = versionsOnClasspath(group);
        assertEquals(List.of(expected), new ArrayList<>(found.keySet()), group + " artifacts by version: " + found);
    }

    @Test
    void oneSparkScalaJacksonLoggingAndDl4jVersion() throws Exception {
        Map<String, String> v = bom();
        assertOneVersion("org.apache.spark", v.get("spark.version"));
        assertTrue(versionsOnClasspath("org.apache.spark").get(v.get("spark.version"))
                .containsAll(List.of("spark-core_2.12", "spark-sql_2.12", "spark-mllib_2.12")));
        assertOneVersion("org.scala-lang", v.get("scala.version"));
        assertOneVersion("com.fasterxml.jackson.core", v.get("jackson.version"));
        assertOneVersion("com.fasterxml.jackson.module", v.get("jackson.version"));
        assertOneVersion("org.slf4j", v.get("slf4j.version"));
        assertOneVersion("org.apache.logging.log4j", v.get("log4j.version"));
        assertOneVersion("org.datavec", v.get("dl4j.version"));
        assertOneVersion("org.deeplearning4j", v.get("dl4j.version"), "dl4j-spark_2.12", v);
        assertOneVersion("org.nd4j", v.get("dl4j.version"), "nd4j-kryo_2.12", v);
        assertEquals(v.get("spark.version"), org.apache.spark.package$.MODULE$.SPARK_VERSION(), "Spark's own version");
    }

    /** Like {@link #assertOneVersion(String, String)}, but the one artifact published only at dl4j-spark's version. */
    private static void assertOneVersion(String group, String expected, String m2Only, Map<String, String> v) {
        Map<String, TreeSet<String>> found = versionsOnClasspath(group);
        TreeSet<String> older = found.remove(v.get("dl4j-spark.version"));
        if (older != null) {
            assertEquals(new TreeSet<>(List.of(m2Only)), older, group + ": only " + m2Only + " at "
                    + v.get("dl4j-spark.version"));
        }
        assertEquals(List.of(expected), new ArrayList<>(found.keySet()), group + " artifacts by version: " + found);
    }

    @Test
    void slf4jHasSparksLog4j2ProviderAndNoOther() {
        // First, as it also works with an SLF4J 1.7 API (the failure this guards against: NOP beside Spark's binding).
        assertEquals("org.apache.logging.slf4j.Log4jLoggerFactory", LoggerFactory.getILoggerFactory().getClass()
                .getName(), "not org.slf4j.helpers.NOPLoggerFactory: dgrab's warnings reach a log");
        List<String> providers = new ArrayList<>();
        for (SLF4JServiceProvider p : ServiceLoader.load(SLF4JServiceProvider.class)) {
            providers.add(p.getClass().getName());
        }
        assertEquals(List.of("org.apache.logging.slf4j.SLF4JServiceProvider"), providers);
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.slf4j.impl.StaticLoggerBinder"),
                "no SLF4J 1.7 binding, which SLF4J 2 would ignore");
    }

    @Test
    void aSparkJobAndADgrabSparkEpochRunAndDgrabLogs() {
        List<DataSet> examples = new ArrayList<>();
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 32; i++) {
            float[] x = {(float) r.nextGaussian(), (float) r.nextGaussian()};
            float[] y = x[0] + x[1] > 0 ? new float[] {1, 0} : new float[] {0, 1};
            examples.add(new DataSet(Nd4j.createFromArray(new float[][] {x}), Nd4j.createFromArray(new float[][] {y})));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).updater(new Sgd(0.1)).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(2).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("dgrab-bom consumer")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            // Spark's RDD scopes go through jackson-module-scala, which refuses a jackson-databind outside its minor.
            assertEquals(30, sc.parallelize(List.of(1, 2, 3, 4)).map(i -> i * i).reduce(Integer::sum));
            try (SparkOrderedTrainer t = SparkOrderedTrainer.builder().setContext(sc).setModel(net)
                    .setData(new ExistingDataSetIterator(examples)).setOrdering(OrderingConfig.of("cd-grab", 3))
                    .optWorkers(2).optBatchSize(4).build()) {
                SparkEpochStats s = t.fitEpoch();
                assertEquals(32, s.examples());
                assertTrue(Double.isFinite(s.meanBatchLoss()), s.toString());
                assertEquals(1, t.epoch());
            }
            // Spark installs its log4j2 defaults (INFO to stderr) when no log4j2 configuration is given.
            assertTrue(LoggerFactory.getLogger(SparkOrderedTrainer.class).isWarnEnabled());
            assertTrue(LoggerFactory.getLogger(SparkOrderedTrainer.class).isInfoEnabled());
        }
    }

    /**
     * @return the version that a pom's dependencyManagement gives groupId:artifactId, its ${properties} replaced
     */
    private static String managed(Path pom, String groupId, String artifactId) throws Exception {
        Map<String, String> props = properties(pom);
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile())
                .getDocumentElement();
        org.w3c.dom.NodeList deps = project.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            if (!d.getParentNode().getParentNode().getNodeName().equals("dependencyManagement")) {
                continue;
            }
            if (text(d, "groupId").equals(groupId) && text(d, "artifactId").equals(artifactId)) {
                String version = text(d, "version");
                for (Map.Entry<String, String> p : props.entrySet()) {
                    version = version.replace("${" + p.getKey() + "}", p.getValue());
                }
                return version;
            }
        }
        return null;
    }

    private static String text(Element e, String child) {
        org.w3c.dom.NodeList l = e.getElementsByTagName(child);
        return l.getLength() == 0 ? "" : l.item(0).getTextContent().trim();
    }

    /**
     * @return groupId:artifactId:type:scope of the dependencies of a pom's {@code project/dependencies} or
     *         {@code project/dependencyManagement/dependencies}, with ":versioned" where a version is given
     */
    private static List<String> dependencies(org.w3c.dom.Document pom, boolean managed) {
        List<String> out = new ArrayList<>();
        org.w3c.dom.NodeList deps = pom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            boolean inManagement = d.getParentNode().getParentNode().getNodeName().equals("dependencyManagement");
            if (inManagement == managed && !text(d, "artifactId").startsWith("junit")) {
                out.add(text(d, "groupId") + ":" + text(d, "artifactId") + ":" + text(d, "type") + ":"
                        + text(d, "scope") + (text(d, "version").isEmpty() ? "" : ":versioned"));
            }
        }
        return out;
    }

    @Test
    void theUsersPomInTheDocsIsThisPom() throws Exception {
        List<String> doc = java.nio.file.Files.readAllLines(ROOT.resolve("docs/usage.md"));
        int marker = doc.indexOf("<!-- the pom that dgrab-bom/consumer/pom.xml checks -->");
        assertTrue(marker >= 0 && doc.get(marker + 1).equals("```xml"), "docs/usage.md: the marked ```xml block");
        int end = doc.subList(marker + 2, doc.size()).indexOf("```") + marker + 2;
        String xml = String.join("\n", doc.subList(marker + 2, end));
        javax.xml.parsers.DocumentBuilder parser = DocumentBuilderFactory.newInstance().newDocumentBuilder();
        org.w3c.dom.Document documented = parser.parse(new org.xml.sax.InputSource(new java.io.StringReader(xml)));
        org.w3c.dom.Document tested = parser.parse(ROOT.resolve("dgrab-bom/consumer/pom.xml").toFile());
        for (boolean managed : new boolean[] {true, false}) {
            assertEquals(dependencies(tested, managed), dependencies(documented, managed),
                    (managed ? "dependencyManagement" : "dependencies") + " of the documented and the tested pom");
        }
        assertEquals(List.of("org.dgrab:dgrab-bom:pom:import:versioned"), dependencies(documented, true));
        String root = properties(ROOT.resolve("pom.xml")).get("spark.addOpens");
        assertTrue(doc.contains(root), "docs/usage.md spells out the root pom's spark.addOpens on a line of its own");
    }

    @Test
    void theBomAgreesWithTheRootPom() throws Exception {
        // The pins the root pom carries for its own build (docs/decisions.md) are the users' pins too.
        String[][] pins = {{"org.scala-lang", "scala-library"}, {"org.scala-lang", "scala-reflect"},
                {"org.nd4j", "jackson"}, {"org.datavec", "datavec-spark_2.12"},
                {"org.deeplearning4j", "deeplearning4j-ui-components"}, {"org.apache.commons", "commons-lang3"},
                {"org.nd4j", "nd4j-api"}, {"org.deeplearning4j", "deeplearning4j-nn"},
                {"com.fasterxml.jackson", "jackson-bom"}};
        for (String[] ga : pins) {
            String inRoot = managed(ROOT.resolve("pom.xml"), ga[0], ga[1]);
            assertTrue(inRoot != null && !inRoot.contains("${"), ga[1] + " in the root pom: " + inRoot);
            assertEquals(inRoot, managed(ROOT.resolve("dgrab-bom/pom.xml"), ga[0], ga[1]), ga[0] + ":" + ga[1]);
        }
        Map<String, String> root = properties(ROOT.resolve("pom.xml"));
        Map<String, String> v = bom();
        for (String k : new String[] {"project.version", "dl4j.version", "spark.version", "scala.version"}) {
            assertEquals(root.get(k), v.get(k), k + " in the root pom and in dgrab-bom");
        }
        assertEquals(properties(ROOT.resolve("dgrab-spark/pom.xml")).get("dl4j-spark.version"),
                v.get("dl4j-spark.version"));
        assertEquals(root.get("spark.addOpens"), properties(ROOT.resolve("dgrab-bom/consumer/pom.xml"))
                .get("spark.addOpens"), "the consumer's JVM flags are the root pom's");
        assertFalse(root.get("spark.addOpens").isEmpty());
    }
}
