package org.dgrab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code ```java} block of README.md and docs/*.md against the project's classpath, so that a snippet
 * a user copies compiles as shown: with its own imports only (plus {@code java.lang}). A block may use variables and
 * methods the prose around it says the reader already has ("given an initialised {@code net}"); the HTML comment
 * {@code <!-- given: ... -->} on the line before the fence declares them, with fully qualified types, as members of
 * the class the block is compiled in. The block itself is the body of a method that may throw anything.
 */
class DocSnippetsTest {
    private static final Pattern GIVEN = Pattern.compile("^<!-- given: (.*) -->$");

    /** One {@code ```java} block: where it is, what it declares as given, its import lines and the rest. */
    private record Snippet(String where, String given, List<String> imports, List<String> body) {
        String source(String className) {
            return String.join("\n", imports) + "\n\n@SuppressWarnings(\"all\")\nabstract class " + className + " {\n"
                    + given + "\n\nvoid snippet() throws Throwable {\n" + String.join("\n", body) + "\n}\n}\n";
        }
    }

    @Test
    void everyJavaBlockInTheDocsCompilesWithItsOwnImports(@TempDir Path out) throws IOException {
        List<Snippet> snippets = new ArrayList<>();
        Path root = Path.of("..").toAbsolutePath().normalize();
        snippets.addAll(read(root, root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            for (Path p : docs.filter(p -> p.toString().endsWith(".md")).sorted().collect(Collectors.toList())) {
                snippets.addAll(read(root, p));
            }
        }
        assertTrue(snippets.size() >= 10, "found only " + snippets.size() + " java blocks: did the docs move?");

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no Java compiler in " + System.getProperty("java.home")
                + ": the doc snippets test needs a JDK, not a JRE");
        List<String> failures = new ArrayList<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", classpath(), "-d", out.toString(), "-proc:none",
                    "-implicit:none", "-Xlint:none");
            for (int i = 0; i < snippets.size(); i++) {
                Snippet s = snippets.get(i);
                String name = "Snippet" + i;
                DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
                StringWriter log = new StringWriter();
                boolean ok = javac.getTask(log, files, diagnostics, options, null,
                        List.of(new Source(name, s.source(name)))).call();
                if (!ok) {
                    failures.add(s.where() + ":\n" + diagnostics.getDiagnostics().stream()
                            .map(d -> "  line " + d.getLineNumber() + " of the wrapped block: " + d.getMessage(null))
                            .collect(Collectors.joining("\n")) + "\n--- compiled as ---\n" + s.source(name));
                }
            }
        }
        assertEquals(List.of(), failures, "doc snippets that do not compile as shown:\n" + String.join("\n", failures));
    }

    /** The java blocks of one Markdown file. */
    private static List<Snippet> read(Path root, Path md) throws IOException {
        List<String> lines = Files.readAllLines(md, StandardCharsets.UTF_8);
        List<Snippet> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java")) {
                continue;
            }
            String where = root.relativize(md) + " line " + (i + 1);
            String given = "";
            if (i > 0) {
                Matcher m = GIVEN.matcher(lines.get(i - 1).strip());
                if (m.matches()) {
                    given = m.group(1);
                }
            }
            List<String> imports = new ArrayList<>();
            List<String> body = new ArrayList<>();
            int j = i + 1;
            for (; j < lines.size() && !lines.get(j).strip().equals("```"); j++) {
                (lines.get(j).startsWith("import ") ? imports : body).add(lines.get(j));
            }
            assertTrue(j < lines.size(), where + ": java block never closed");
            found.add(new Snippet(where, given, imports, body));
            i = j;
        }
        return found;
    }

    /**
     * The test classpath as javac wants it. Surefire may start the test JVM with a single manifest-only jar whose
     * Class-Path names the real entries; those are spelled out here.
     */
    private static String classpath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            entries.add(e);
            if (e.contains("surefirebooter") && e.endsWith(".jar")) {
                try (JarFile jar = new JarFile(e)) {
                    Manifest mf = jar.getManifest();
                    String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        for (String url : cp.trim().split("\\s+")) {
                            URI u = URI.create(url);
                            entries.add((u.isAbsolute() ? Path.of(u) : Path.of(e).resolveSibling(url)).toString());
                        }
                    }
                }
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** A compilation unit held in memory. */
    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String className, String code) {
            super(URI.create("string:///" + className + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
