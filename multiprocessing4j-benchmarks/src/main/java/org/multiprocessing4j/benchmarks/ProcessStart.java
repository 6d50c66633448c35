package org.multiprocessing4j.benchmarks;

import static org.multiprocessing4j.benchmarks.Common.emit;
import static org.multiprocessing4j.benchmarks.Common.median;
import static org.multiprocessing4j.benchmarks.Common.ms;
import static org.multiprocessing4j.benchmarks.Common.percentile;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.StartMethod;

/**
 * process_start, the twin of {@code ../shared/bench/python/process_start.py}: {@code ChildProcess.start()} to the
 * child's first line of user code, and {@code start()}+{@code join()} of an empty target, per start method.
 *
 * <pre>
 * Metrics per variant (median over N runs after W warm-up runs; N = scale(20, 3), W = 3, as in Python):
 *   start_to_child_code   parent t0 (just before start()) -> first line of the target (child's timestamp)
 *   start_call_blocking   how long ChildProcess.start() itself blocks in the parent
 *   start_to_parent_seen  t0 -> the parent has received the child's timestamp
 *   start_join_empty      start()+join() of an empty target (full lifecycle)
 *   first_start_to_child_code_cold   the very first start in this JVM for that variant
 * Variants (arguments select them; none = all, in this order):
 *   spawn     StartMethod.SPAWN, a fresh JVM per start
 *   prestart  StartMethod.PRESTART back to back, exactly as Python (start, receive, join, next)   params paced=false
 *   paced     StartMethod.PRESTART with a pause before every start (MPBENCH_PACE_MS, default 400 ms) so that a
 *             ready JVM is waiting                                                               params paced=true
 *   jdk25     SPAWN with a JDK 25 child (Context.withJavaExecutable): MP4J_BENCH_JAVA25 (a java executable or a
 *             JDK home), else /usr/lib/jvm/temurin-25-jdk-amd64/bin/java; skipped when absent     params jdk=25
 *   floor     the physical floor: a bare `java -cp <this jar> Hello` with the library's child JVM flags, from
 *             ProcessBuilder.start() to Hello's main (bare_jvm_*), on this JDK and on JDK 25      params floor=true
 * </pre>
 * The child sends its timestamp over a plain JDK Unix-domain socket that this bench listens on in a temp
 * directory (the library has no Pipe yet): the target ({@link StartTargets}) captures the socket path, connects
 * and writes 8 bytes.
 * Timestamps from both sides are compared directly: see {@link Common} on {@code System.nanoTime()}.
 * Every child is joined (or, after a failure, killed and reaped) before the bench returns.
 */
final class ProcessStart {
    static final String BENCH = "process_start";

    private static final List<String> VARIANTS = List.of("spawn", "prestart", "paced", "jdk25", "floor");
    private static final String DEFAULT_JAVA25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
    private static final long SIGNAL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(90);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);
    private static final int WARMUP = 3;

    private final int n = Common.scale(20, 3);
    private final long paceMillis = Common.paceMillis();
    private final Path dir;
    private int sockets;

    private ProcessStart(Path dir) {
        this.dir = dir;
    }

    /** Runs the variants named in {@code args} (all when none); returns the exit code. */
    static int run(String[] args) {
        Set<String> selected = new LinkedHashSet<>();
        for (String a : args) {
            String v = a.toLowerCase().equals("prestart-paced") ? "paced" : a.toLowerCase();
            if (v.equals("all")) {
                selected.addAll(VARIANTS);
            } else if (VARIANTS.contains(v)) {
                selected.add(v);
            } else {
                throw new Bench.Usage("unknown variant '" + a + "'; known: " + String.join(", ", VARIANTS)
                        + " (none: all of them)");
            }
        }
        if (selected.isEmpty()) {
            selected.addAll(VARIANTS);
        }
        Java25 java25 = Java25.find();
        if (java25 == null && selected.contains("jdk25")) {
            System.err.println("# process_start: no separate JDK 25 found (set MP4J_BENCH_JAVA25, or install "
                    + DEFAULT_JAVA25 + "): jdk25 skipped");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("mp4jb-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temp directory for the signal sockets: " + e, e);
        }
        try {
            new ProcessStart(dir).runAll(selected, java25);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            deleteTree(dir);
        }
        return 0;
    }

    private void runAll(Set<String> selected, Java25 java25) throws IOException, InterruptedException {
        // Same order as Python's spawn, forkserver, fork: each variant's cold start is its first in this JVM.
        if (selected.contains("spawn")) {
            measure(Multiprocessing.getContext(StartMethod.SPAWN), false, true, "start_method", "spawn");
        }
        Context prestart = Multiprocessing.getContext(StartMethod.PRESTART);
        if (selected.contains("prestart")) {
            measure(prestart, false, true, "start_method", "prestart", "paced", false,
                    "ready_jvms", prestart.readyJvms());
        }
        if (selected.contains("paced")) {
            // Not cold when it runs after the back-to-back variant (same context, same ready JVMs), so its cold
            // record is left out unless it runs alone.
            measure(prestart, true, !selected.contains("prestart"), "start_method", "prestart", "paced", true,
                    "pace_ms", paceMillis, "ready_jvms", prestart.readyJvms());
        }
        if (selected.contains("jdk25") && java25 != null) {
            Context ctx = Multiprocessing.getContext(StartMethod.SPAWN).withJavaExecutable(java25.java);
            measure(ctx, false, true, "start_method", "spawn", "jdk", java25.feature, "java", java25.version);
        }
        if (selected.contains("floor")) {
            floor(Path.of(System.getProperty("java.home"), "bin", "java"), Common.jdk(),
                    System.getProperty("java.version"));
            if (java25 != null) {
                floor(java25.java, java25.feature, java25.version);
            }
        }
    }

    /**
     * One variant, measured exactly as Python's {@code measure()}: W + N signalling starts, then W + N empty
     * start()+join() cycles, each with a fresh process.
     */
    private void measure(Context ctx, boolean paced, boolean emitCold, Object... variant)
            throws IOException, InterruptedException {
        List<Double> childCode = new ArrayList<>();
        List<Double> blocking = new ArrayList<>();
        List<Double> seen = new ArrayList<>();
        List<Double> lifecycle = new ArrayList<>();
        long first = -1;
        Path socketPath = dir.resolve("s" + (++sockets) + ".sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            server.bind(UnixDomainSocketAddress.of(socketPath));
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            String path = socketPath.toString();
            for (int i = 0; i < WARMUP + n; i++) {
                pace(paced);
                ChildProcess p = ctx.process(StartTargets.signal(path));
                long t0, t1, t2, tc;
                try {
                    t0 = System.nanoTime();
                    p.start();
                    t1 = System.nanoTime();
                    tc = receiveTimestamp(server, selector, p);
                    t2 = System.nanoTime();
                } finally {
                    finish(p);
                }
                if (first < 0) {
                    first = tc - t0;
                }
                if (i >= WARMUP) {
                    childCode.add(ms(tc - t0));
                    blocking.add(ms(t1 - t0));
                    seen.add(ms(t2 - t0));
                }
            }
        } finally {
            Files.deleteIfExists(socketPath);
        }
        for (int i = 0; i < WARMUP + n; i++) {
            pace(paced);
            ChildProcess p = ctx.process(StartTargets.empty());
            long t0, t1;
            try {
                t0 = System.nanoTime();
                p.start();
                p.join();
                t1 = System.nanoTime();
            } finally {
                finish(p);
            }
            if (i >= WARMUP) {
                lifecycle.add(ms(t1 - t0));
            }
        }
        Object[] common = concat(variant, "n", n, "warmup", WARMUP);
        emit(BENCH, "start_to_child_code", median(childCode), "ms",
                concat(common, "p10", percentile(childCode, 10), "p90", percentile(childCode, 90)));
        emit(BENCH, "start_call_blocking", median(blocking), "ms",
                concat(common, "p10", percentile(blocking, 10), "p90", percentile(blocking, 90)));
        emit(BENCH, "start_to_parent_seen", median(seen), "ms",
                concat(common, "p10", percentile(seen, 10), "p90", percentile(seen, 90)));
        emit(BENCH, "start_join_empty", median(lifecycle), "ms",
                concat(common, "p10", percentile(lifecycle, 10), "p90", percentile(lifecycle, 90)));
        if (emitCold) {
            emit(BENCH, "first_start_to_child_code_cold", ms(first), "ms", concat(new Object[] {"note",
                    "very first start in this JVM for this variant (prestart: includes launching the first JVM in"
                            + " the caller's thread, no ready JVM yet)"}, variant));
        }
    }

    /** Accepts the child's connection and reads its timestamp; fails if the child ends without sending one. */
    private static long receiveTimestamp(ServerSocketChannel server, Selector selector, ChildProcess p)
            throws IOException {
        long deadline = System.nanoTime() + SIGNAL_TIMEOUT_NANOS;
        boolean ended = false;
        while (true) {
            SocketChannel s = server.accept();
            if (s != null) {
                try (s) {
                    s.configureBlocking(true);
                    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                    while (b.hasRemaining()) {
                        if (s.read(b) < 0) {
                            throw new IOException("the child closed its socket after " + b.position()
                                    + " of 8 bytes: " + p);
                        }
                    }
                    return b.getLong(0);
                }
            }
            if (ended) {
                throw new IllegalStateException("the child ended without sending its timestamp: " + p);
            }
            if (!p.isAlive()) {
                ended = true; // one more accept: it may have connected just before it ended
                continue;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no timestamp from the child within "
                        + TimeUnit.NANOSECONDS.toSeconds(SIGNAL_TIMEOUT_NANOS) + " s: " + p);
            }
            selector.select(100);
            selector.selectedKeys().clear();
        }
    }

    /** Joins a started child (killing it if it hangs), checks it ended with 0, and releases it. */
    private static void finish(ChildProcess p) throws InterruptedException {
        if (p.pid() < 0) {
            return; // start() failed: the library left nothing behind
        }
        if (!p.join(JOIN_TIMEOUT)) {
            p.kill();
            p.join();
            p.close();
            throw new IllegalStateException("the child did not end within " + JOIN_TIMEOUT.toSeconds()
                    + " s and was killed: " + p);
        }
        Integer code = p.exitCode();
        p.close();
        if (code == null || code != 0) {
            throw new IllegalStateException("the child ended with exit code " + code + ": " + p);
        }
    }

    private void pace(boolean paced) throws InterruptedException {
        if (paced) {
            Thread.sleep(paceMillis);
        }
    }

    /**
     * The floor: a bare JVM with the flags the library gives its children (JvmCommand: -XX:+UseSerialGC,
     * -Xmx512m, -XX:-UsePerfData, then this JVM's inherited options) and the class path the library gives them
     * (ClassPaths: java.class.path, then this jar's location when not already there under the same spelling),
     * running {@link Hello}. Not the library's own class-data-sharing archive or AOT cache of the child start
     * path: Hello needs none of its classes, only the JDK's default archive, and mapping the bigger archive makes
     * a bare start a few ms slower, so this is the physical floor. stdin is a pipe that is closed at once (the
     * library writes its bootstrap line there), stdout a pipe that carries the timestamp, stderr inherited.
     */
    private void floor(Path java, int jdk, String javaVersion) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-XX:+UseSerialGC", "-Xmx512m",
                "-XX:-UsePerfData"));
        cmd.addAll(inheritedOptions());
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classPath()));
        cmd.add(Hello.class.getName());
        List<Double> toMain = new ArrayList<>();
        List<Double> blocking = new ArrayList<>();
        List<Double> seen = new ArrayList<>();
        List<Double> toExit = new ArrayList<>();
        long first = -1;
        for (int i = 0; i < WARMUP + n; i++) {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
            long t0 = System.nanoTime();
            Process proc = pb.start();
            long t1 = System.nanoTime();
            long tc;
            long t2;
            long t3;
            try {
                proc.getOutputStream().close();
                BufferedReader out = new BufferedReader(new InputStreamReader(proc.getInputStream(),
                        StandardCharsets.US_ASCII));
                String line = out.readLine();
                t2 = System.nanoTime();
                if (!proc.waitFor(JOIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the bare JVM did not end: " + String.join(" ", cmd));
                }
                t3 = System.nanoTime();
                if (line == null || proc.exitValue() != 0) {
                    throw new IllegalStateException("the bare JVM failed: exitCode=" + proc.exitValue()
                            + " command: " + String.join(" ", cmd));
                }
                tc = Long.parseLong(line.trim());
            } finally {
                if (proc.isAlive()) {
                    proc.destroyForcibly();
                    proc.waitFor();
                }
            }
            if (first < 0) {
                first = tc - t0;
            }
            if (i >= WARMUP) {
                toMain.add(ms(tc - t0));
                blocking.add(ms(t1 - t0));
                seen.add(ms(t2 - t0));
                toExit.add(ms(t3 - t0));
            }
        }
        Object[] common = {"floor", true, "jdk", jdk, "java", javaVersion, "n", n, "warmup", WARMUP};
        emit(BENCH, "bare_jvm_to_main", median(toMain), "ms",
                concat(common, "p10", percentile(toMain, 10), "p90", percentile(toMain, 90)));
        emit(BENCH, "bare_jvm_start_call_blocking", median(blocking), "ms",
                concat(common, "p10", percentile(blocking, 10), "p90", percentile(blocking, 90)));
        emit(BENCH, "bare_jvm_to_parent_seen", median(seen), "ms",
                concat(common, "p10", percentile(seen, 10), "p90", percentile(seen, 90)));
        emit(BENCH, "bare_jvm_start_to_exit", median(toExit), "ms",
                concat(common, "p10", percentile(toExit, 10), "p90", percentile(toExit, 90)));
        emit(BENCH, "bare_jvm_to_main_cold", ms(first), "ms", "floor", true, "jdk", jdk, "java", javaVersion);
    }

    /** The class path the library gives a child of this JVM (mirrors ClassPaths for a java -cp / -jar parent). */
    private static List<String> classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(e);
            }
        }
        try {
            entries.add(Path.of(Hello.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (Exception e) {
            // java.class.path has it
        }
        return new ArrayList<>(entries);
    }

    /** This JVM's options that a child inherits (mirrors InheritedOptions). */
    private static List<String> inheritedOptions() {
        List<String> kept = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            boolean dropped = a.startsWith("-agentlib:jdwp") || a.startsWith("-Xrunjdwp") || a.equals("-Xdebug")
                    || a.equals("-Xnoagent") || a.startsWith("-Xshare") || a.startsWith("-XX:SharedArchiveFile")
                    || a.startsWith("-XX:ArchiveClassesAtExit") || a.contains("AutoCreateSharedArchive")
                    || a.startsWith("-XX:AOT") || a.startsWith("-XX:StartFlightRecording")
                    || a.startsWith("-XX:Flags=") || a.startsWith("-Djava.class.path=")
                    || a.startsWith("-Dsun.java.command") || a.startsWith("-Djdk.module.")
                    || a.startsWith("-Dsun.java.launcher") || a.startsWith("-Dmp4j.internal.");
            if (!dropped) {
                kept.add(a);
            }
        }
        return kept;
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    /** A JDK 25 java executable, its feature number and version string. */
    private static final class Java25 {
        final Path java;
        final int feature;
        final String version;

        private Java25(Path java, int feature, String version) {
            this.java = java;
            this.feature = feature;
            this.version = version;
        }

        static Java25 find() {
            String env = System.getenv("MP4J_BENCH_JAVA25");
            Path java = Path.of(env != null && !env.isBlank() ? env.trim() : DEFAULT_JAVA25);
            if (Files.isDirectory(java)) {
                java = java.resolve("bin").resolve("java");
            }
            if (!Files.isExecutable(java)) {
                if (env != null && !env.isBlank()) {
                    System.err.println("# process_start: MP4J_BENCH_JAVA25=" + env + " is not a java executable");
                }
                return null;
            }
            try {
                Path self = Path.of(System.getProperty("java.home"), "bin", "java");
                if (java.toRealPath().equals(self.toRealPath())) {
                    System.err.println("# process_start: " + java + " is the JDK running this bench: jdk25 is the"
                            + " spawn variant already");
                    return null;
                }
            } catch (IOException e) {
                // measure it
            }
            String version = releaseVersion(java);
            int feature = 25;
            if (version != null) {
                try {
                    feature = Runtime.Version.parse(version).feature();
                } catch (IllegalArgumentException e) {
                    // keep 25
                }
            }
            return new Java25(java, feature, version != null ? version : "unknown");
        }

        /** JAVA_VERSION from the JDK's {@code release} file, next to {@code bin/}. */
        private static String releaseVersion(Path java) {
            try {
                Path release = java.toRealPath().getParent().getParent().resolve("release");
                for (String line : Files.readAllLines(release)) {
                    if (line.startsWith("JAVA_VERSION=")) {
                        return line.substring("JAVA_VERSION=".length()).replace("\"", "").trim();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // unknown
            }
            return null;
        }
    }
}
