package org.multiprocessing4j.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.connection.Pipe;

/**
 * A child compiles the library's message paths early and leaves a pool's paths to C1: the commands are on its
 * command line before the user's options, a child option or the parent's property leaves them out, the JVMs accept
 * them without printing anything on stdout (each command would print a line there without {@code quiet}), and they
 * do what they say.
 */
class EarlyJitTest {
    private static final Path JAVA25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    private static List<String> command(String... options) throws Exception {
        return JvmCommand.build(new LaunchSpec(LaunchSpec.defaultJava(), List.of(options),
                List.of(System.getProperty("java.class.path")), Map.of(), null, Duration.ofSeconds(30)));
    }

    @Test
    void theCommandsComeBeforeTheUsersOptionsUnlessSwitchedOff() throws Exception {
        List<String> cmd = command("-Dmine=1");
        int first = cmd.indexOf(JvmCommand.EARLY_JIT.get(0));
        assertEquals(cmd.subList(first, first + JvmCommand.EARLY_JIT.size()), JvmCommand.EARLY_JIT, cmd::toString);
        assertTrue(first < cmd.indexOf("-Dmine=1"), cmd::toString);
        assertTrue(JvmCommand.EARLY_JIT.stream().anyMatch(f -> f.contains("org/multiprocessing4j/internal/pipe/")));

        List<String> off = command("-D" + JvmCommand.EARLY_JIT_PROPERTY + "=false");
        assertFalse(off.stream().anyMatch(f -> f.startsWith("-XX:CompileCommand")), off::toString);
        List<String> onAgain = command("-D" + JvmCommand.EARLY_JIT_PROPERTY + "=false",
                "-D" + JvmCommand.EARLY_JIT_PROPERTY + "=true");
        assertTrue(onAgain.containsAll(JvmCommand.EARLY_JIT), "the last word wins: " + onAgain);
        System.setProperty(JvmCommand.EARLY_JIT_PROPERTY, "false");
        try {
            List<String> parentOff = command();
            assertFalse(parentOff.stream().anyMatch(f -> f.startsWith("-XX:CompileCommand")), parentOff::toString);
            List<String> childOn = command("-D" + JvmCommand.EARLY_JIT_PROPERTY + "=true");
            assertTrue(childOn.containsAll(JvmCommand.EARLY_JIT), "a child's option over the parent's: " + childOn);
        } finally {
            System.clearProperty(JvmCommand.EARLY_JIT_PROPERTY);
        }
    }

    static void reportArguments(Connection out) throws Exception {
        out.send(new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        out.close();
    }

    @Test
    void aChildRunsWithThem() throws Exception {
        Pipe pipe = Pipe.open(false);
        Connection in = pipe.left();
        Connection out = pipe.right();
        ChildProcess child = new ChildProcess(() -> reportArguments(out));
        child.start();
        out.close();
        try {
            List<?> arguments = (List<?>) in.recv();
            assertTrue(arguments.containsAll(JvmCommand.EARLY_JIT), arguments::toString);
        } finally {
            in.close();
            child.join(Duration.ofSeconds(60));
        }
        assertEquals(0, child.exitCode());
    }

    /**
     * In a real JVM, a method of the pool's (Dispatcher.depthFor) is compiled by C1 only: every C2 compilation of it
     * fails at once. A loop over a chunk's items kept for C2 (Items.readInts) is compiled by C2. Read from the JIT's
     * own log (PrintCompilation's lines break up when two compiler threads print at once). Without the commands,
     * C2 compiles depthFor like readInts.
     */
    @Test
    void thePoolsPathsStayWithC1(@TempDir Path dir) throws Exception {
        watchTheProbe(dir, JvmCommand.EARLY_JIT, List.of());
    }

    /** A pool's caller JVM gives itself the same settings while it runs (OwnJit): the same compilations follow. */
    @Test
    void theCallersJvmTakesTheSameSettings(@TempDir Path dir) throws Exception {
        watchTheProbe(dir, List.of(), List.of("own"));
    }

    private static void watchTheProbe(Path dir, List<String> options, List<String> args) throws Exception {
        for (Path java : javas()) {
            Path log = dir.resolve("jit-" + java.getParent().getParent().getFileName() + ".log");
            List<String> cmd = new ArrayList<>(List.of(java.toString()));
            cmd.addAll(options);
            cmd.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+LogCompilation", "-XX:LogFile=" + log,
                    "-cp", System.getProperty("java.class.path"), "org.multiprocessing4j.internal.pool.JitLevelProbe"));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), java + ": exit code\n" + out);
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            Map<String, Set<String>> pool = compilations(lines,
                    "org.multiprocessing4j.internal.pool.Dispatcher depthFor");
            assertTrue(pool.get("ok").stream().allMatch(l -> l.compareTo("4") < 0) && !pool.get("ok").isEmpty()
                    && pool.get("failed").contains("4"), java + ": Dispatcher.depthFor " + pool);
            Map<String, Set<String>> kept = compilations(lines,
                    "org.multiprocessing4j.internal.pool.protocol.Items readInts");
            assertTrue(kept.get("ok").contains("4"), java + ": Items.readInts " + kept);
        }
    }

    /**
     * A user's loop over a queue's put and take, compiled by C2 in a JVM with the children's settings, calls the
     * queue's methods instead of inlining them (QueueLoopProbe): each of its C2 compilations names the command as the
     * reason, and inlines a few dozen bytes of code. Without the commands that keep them out (the rest of the
     * settings kept), the same compilations inline thousands of bytes of the queue's code. And C1's final compilation
     * of the put (PutSide.put, level 1) inlines the shared memory's accessors on the commands' word.
     */
    @Test
    void aUsersLoopCallsTheQueuesMethodsInsteadOfInliningThem(@TempDir Path dir) throws Exception {
        List<String> without = new ArrayList<>(JvmCommand.EARLY_JIT);
        without.removeIf(f -> f.contains("dontinline"));
        String loop = "method='" + QueueLoopProbe.class.getName() + " loop ";
        for (Path java : javas()) {
            List<String> log = jitLog(java, dir.resolve("kept.log"), JvmCommand.EARLY_JIT);
            List<String> kept = compilations(log, loop, null);
            assertFalse(kept.isEmpty(), java + ": C2 compiled the loop");
            for (String task : kept) {
                assertTrue(task.contains("reason='disallowed by CompileCommand'") && inlinedBytes(task) < 500,
                        java + ": " + task);
            }
            List<String> put = compilations(log, "method='org.multiprocessing4j.internal.queue.PutSide put ", "1");
            assertTrue(!put.isEmpty() && put.stream().allMatch(t -> t.contains("force inline by CompileCommand")),
                    java + ": C1 inlines Segment's accessors into the put: " + put);
            List<String> inlined = compilations(jitLog(java, dir.resolve("inlined.log"), without), loop, null);
            assertTrue(!inlined.isEmpty() && inlined.stream().allMatch(t -> inlinedBytes(t) > 1000),
                    java + ": without the commands the queue's code is inlined: " + inlined);
        }
    }

    /** @return the JIT's log of QueueLoopProbe run with the options */
    private static List<String> jitLog(Path java, Path log, List<String> options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+LogCompilation", "-XX:LogFile=" + log,
                "-cp", System.getProperty("java.class.path"), QueueLoopProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), java + ": exit code\n" + out);
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        Files.delete(log);
        return lines;
    }

    /**
     * @param method the log's name of the method, as {@code method='pkg.Class name }
     * @param level the C1 level, or null for C2 (C1's tasks name their level, C2's do not)
     * @return the text of each compilation of the method at that level that succeeded
     */
    private static List<String> compilations(List<String> log, String method, String level) {
        List<String> tasks = new ArrayList<>();
        StringBuilder task = null;
        for (String line : log) {
            if (line.startsWith("<task ")) {
                boolean atLevel = level == null ? !line.contains(" level='") : line.contains(" level='" + level + "'");
                task = atLevel && line.contains(method) ? new StringBuilder() : null;
            }
            if (task != null) {
                task.append(line).append('\n');
                if (line.startsWith("<task_done")) {
                    if ("1".equals(attribute(line, "success", "0"))) {
                        tasks.add(task.toString());
                    }
                    task = null;
                }
            }
        }
        return tasks;
    }

    private static int inlinedBytes(String task) {
        String done = task.substring(task.lastIndexOf("<task_done"));
        return Integer.parseInt(attribute(done, "inlined_bytes", "0"));
    }

    /**
     * @return the levels at which the JIT's log shows compilations of the method succeed ("ok") and fail ("failed")
     */
    private static Map<String, Set<String>> compilations(List<String> log, String method) {
        Map<String, Set<String>> levels = Map.of("ok", new TreeSet<>(), "failed", new TreeSet<>());
        String level = null;
        for (String line : log) {
            if (line.startsWith("<task ")) {
                level = line.contains("method='" + method + " ") ? attribute(line, "level", "4") : null;
            } else if (line.startsWith("<task_done") && level != null) {
                levels.get("1".equals(attribute(line, "success", "0")) ? "ok" : "failed").add(level);
                level = null;
            }
        }
        return levels;
    }

    private static String attribute(String line, String name, String otherwise) {
        int at = line.indexOf(" " + name + "='");
        if (at < 0) {
            return otherwise;
        }
        int from = at + name.length() + 3;
        return line.substring(from, line.indexOf('\'', from));
    }

    private static List<Path> javas() {
        List<Path> javas = new ArrayList<>(List.of(LaunchSpec.defaultJava()));
        if (Files.isExecutable(JAVA25)) {
            javas.add(JAVA25);
        }
        return javas;
    }

    @Test
    void theJvmsAcceptThemQuietly() throws Exception {
        for (Path java : javas()) {
            List<String> cmd = new ArrayList<>(List.of(java.toString()));
            cmd.addAll(JvmCommand.EARLY_JIT);
            cmd.add("-version"); // on stderr
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), java + ": exit code");
            assertEquals("", stdout, java + ": stdout");
        }
    }
}
