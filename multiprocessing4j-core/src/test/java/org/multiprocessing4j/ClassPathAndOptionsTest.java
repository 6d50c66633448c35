package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The child finds the parent's classes however the parent was started, and gets the right JVM options. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClassPathAndOptionsTest {
    @TempDir
    Path dir;

    @Test
    void childLoadsClassesThatOnlyANonSystemClassLoaderHas() throws Exception {
        Path src = dir.resolve("src/dyn/DynTask.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package dyn;\n"
                + "public class DynTask extends org.multiprocessing4j.ChildProcess {\n"
                + "  private final String file;\n"
                + "  public DynTask(String file) { this.file = file; }\n"
                + "  @Override public void run() throws Exception {\n"
                + "    java.nio.file.Files.writeString(java.nio.file.Path.of(file), \"dyn ran\");\n"
                + "  }\n"
                + "}\n");
        Path classes = dir.resolve("classes");
        String libraryPath = Path.of(ChildProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
        Process compile = new ProcessBuilder(javac.toString(), "-d", classes.toString(), "-cp", libraryPath,
                src.toString()).inheritIO().start();
        assertTrue(compile.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, compile.exitValue());
        Path out = dir.resolve("out");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ChildProcess.class.getClassLoader())) {
            ChildProcess p = (ChildProcess) loader.loadClass("dyn.DynTask").getConstructor(String.class)
                    .newInstance(out.toString());
            p.start();
            p.join();
            assertEquals(0, p.exitCode());
        }
        assertEquals("dyn ran", Files.readString(out));
    }

    @Test
    void programStartedWithJavaCpShowsItsChildsOutputOnItsConsole() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process program = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                PrintingMain.class.getName()).redirectErrorStream(true).start();
        program.getOutputStream().close();
        String output = new String(program.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(program.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, program.exitValue(), output);
        assertTrue(output.contains("hello from ChildProcess-1"), output);
        assertTrue(output.contains("stderr from ChildProcess-1"), output);
        assertTrue(output.contains("parent done exitCode=0"), output);
        assertFalse(output.contains("mp4j child runs") || output.indexOf('\u0000') >= 0,
                "the child's running marker is taken out of its stderr: " + output);
    }

    @Test
    void logToStderrPrintsLifecycleEventsOfParentAndChild() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process program = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                PrintingMain.class.getName(), "log").redirectErrorStream(true).start();
        program.getOutputStream().close();
        String output = new String(program.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(program.waitFor(60, TimeUnit.SECONDS));
        assertTrue(output.contains("[INFO/MainProcess] started ChildProcess-1 pid="), output);
        assertTrue(output.contains("[INFO/ChildProcess-1] child process calling run()"), output);
        assertTrue(output.contains("[INFO/MainProcess] ChildProcess-1 pid="), output);
        assertTrue(output.contains("ended: exitCode=0"), output);
    }

    @Test
    void jvmOptionsComeFromTheParentTheContextAndTheProcessAndTheHeapIsModest() throws Exception {
        Path out = dir.resolve("props");
        String file = out.toString();
        Context ctx = Multiprocessing.getContext().withJvmOptions("-Dmp4j.test.ctx=from-context");
        ChildProcess p = ctx.process(() -> Fixtures.append(Path.of(file), System.getProperty("mp4j.test.inherited")
                + " " + System.getProperty("mp4j.test.ctx") + " " + System.getProperty("mp4j.test.proc")
                + " " + Runtime.getRuntime().maxMemory()));
        p.setJvmOptions("-Dmp4j.test.proc=from-process");
        p.start();
        p.join();
        String[] f = Fixtures.awaitLines(out, 1, TestTimeouts.CHILD_STEP).strip().split(" ");
        assertEquals("from-argLine", f[0]);
        assertEquals("from-context", f[1]);
        assertEquals("from-process", f[2]);
        assertTrue(Long.parseLong(f[3]) <= 512L * 1024 * 1024, "default max heap " + f[3]);

        Path small = dir.resolve("small");
        String smallFile = small.toString();
        ChildProcess q = new ChildProcess(() -> Fixtures.append(Path.of(smallFile),
                String.valueOf(Runtime.getRuntime().maxMemory())));
        q.setJvmOptions("-Xmx64m");
        q.start();
        q.join();
        assertTrue(Long.parseLong(Fixtures.awaitLines(small, 1, TestTimeouts.CHILD_STEP).strip())
                <= 64L * 1024 * 1024);
    }

    @Test
    void workingDirectoryAndEnvironmentComeFromTheContext() throws Exception {
        Path out = dir.resolve("env");
        String file = out.toString();
        Context ctx = Multiprocessing.getContext(StartMethod.SPAWN).withWorkingDirectory(dir)
                .withEnvironment(java.util.Map.of("MP4J_TEST_VAR", "set"));
        ChildProcess p = ctx.process(() -> Fixtures.append(Path.of(file),
                Path.of("").toAbsolutePath() + File.pathSeparator + System.getenv("MP4J_TEST_VAR")));
        p.start();
        p.join();
        assertEquals(dir.toRealPath() + File.pathSeparator + "set",
                Fixtures.awaitLines(out, 1, TestTimeouts.CHILD_STEP).strip());
    }

    @Test
    void debuggerAgentAndSharingFilesAreNotInherited() {
        List<String> kept = org.multiprocessing4j.internal.launch.InheritedOptionsAccess.filter(List.of(
                "-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-Xmx1g", "-Dkey=value",
                "-XX:SharedArchiveFile=/tmp/x.jsa", "--add-opens=java.base/java.lang=ALL-UNNAMED"));
        assertEquals(List.of("-Xmx1g", "-Dkey=value", "--add-opens=java.base/java.lang=ALL-UNNAMED"), kept);
        assertFalse(kept.stream().anyMatch(o -> o.contains("jdwp")));
    }
}
