package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Children whose class path is all jars get a class-data-sharing archive made by a training JVM in the background,
 * and later children use it (an AOT cache on JDK 25).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClassDataSharingTest {
    private static final String TEMURIN_25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";

    @TempDir
    Path dir;

    @BeforeEach
    void useOwnCacheDir() {
        System.setProperty("mp4j.cds.dir", dir.resolve("cache").toString());
    }

    @AfterEach
    void restoreCacheDir() {
        System.clearProperty("mp4j.cds.dir");
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", TEMURIN_25})
    void trainingMakesAnArchiveThatLaterChildrenUse(String executable) throws Exception {
        Context ctx = Multiprocessing.getContext(StartMethod.SPAWN).withClassPath(List.of(
                jar("main", Path.of(ChildProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI())),
                jar("test", Path.of(getClass().getProtectionDomain().getCodeSource().getLocation().toURI()))));
        if (!executable.equals("default")) {
            assumeTrue(Files.isExecutable(Path.of(executable)), "no " + executable + " on this machine");
            ctx = ctx.withJavaExecutable(Path.of(executable));
        }
        Path out = dir.resolve("out");
        String file = out.toString();
        ChildProcess first = ctx.process(() -> Fixtures.append(Path.of(file), "first"));
        first.start();
        first.join();
        assertEquals(0, first.exitCode());

        Path cache = dir.resolve("cache");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (archives(cache).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "no archive appeared in " + cache);
            Thread.sleep(100);
        }
        // the launcher's JDK_JAVA_OPTIONS logs where classes come from, without changing the archive's key
        Path classLog = dir.resolve("class-load.log");
        ChildProcess second = ctx.withEnvironment(Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info:file=" + classLog))
                .process(() -> Fixtures.append(Path.of(file), String.join(" ",
                        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())));
        second.start();
        second.join();
        assertEquals(0, second.exitCode());
        String options = Files.readAllLines(out).get(1);
        assertTrue(options.contains("-XX:SharedArchiveFile=" + cache) || options.contains("-XX:AOTCache=" + cache),
                options);
        String loads = Files.readString(classLog);
        assertTrue(loads.contains(getClass().getName() + " source: shared objects file"),
                "the first task's capturing class, from the test jar, is archived: "
                        + loads.lines().filter(l -> l.contains(getClass().getName())).collect(Collectors.joining("\n")));
        long partialDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (all(cache).size() > 1) {
            assertTrue(System.nanoTime() < partialDeadline, "partial archives are left: " + all(cache));
            Thread.sleep(100);
        }
    }

    private static List<Path> archives(Path cache) throws IOException {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(f -> f.toString().endsWith(".jsa") || f.toString().endsWith(".aot"))
                    .collect(Collectors.toList());
        }
    }

    private static List<Path> all(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            return files.collect(Collectors.toList());
        }
    }

    private String jar(String name, Path classes) throws IOException {
        Path jar = dir.resolve(name + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                copy(f, out);
                out.closeEntry();
            }
        }
        return jar.toString();
    }

    private static void copy(Path file, OutputStream out) throws IOException {
        Files.copy(file, out);
    }
}
