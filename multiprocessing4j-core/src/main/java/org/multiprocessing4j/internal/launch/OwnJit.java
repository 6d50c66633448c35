package org.multiprocessing4j.internal.launch;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.multiprocessing4j.internal.Log;
import org.multiprocessing4j.internal.resource.RuntimeDir;

/**
 * The JIT settings of {@link JvmCommand#EARLY_JIT} that leave the library's per-item paths to C1, given to this JVM
 * too once it runs a pool: a child gets them on its command line, but the JVM of the program that makes the pool was
 * started by the user, so they are added while it runs, as compiler directives (HotSpot's
 * {@code Compiler.directives_add}, through the platform MBean server's {@code DiagnosticCommand}). They match the
 * library's classes only, and only compilations that start afterwards.
 *
 * <pre>
 * Why: a pool's caller JVM compiles the pool's dispatch, settling and submission with C2 once tasks flow, each
 * compilation 50-250 ms of a core (ProcessPool.submit's alone took 245 ms in pool_map_overhead), while the workers
 * already share the machine's cores with it. Compiled there while the caller waits for one task at a time, the
 * compilations take the core that a worker's spin needs, and its round trips fall back to the cost of a wake-up for
 * thousands of calls. Measured, 18 alternating runs of pool_map_overhead each way on 2 cores: the apply round trip's
 * median 7.9-10 us in every run, against 7.9-69 us (6 runs slow); the map of one-item chunks 2.9e5-5.2e5 items per s
 * against 1.9e5-4.9e5; the default-chunk map 2.7e7-6.3e7 against 4.5e7-8.4e7, as this thread's CPU falls in it.
 * Cost: the platform MBean server, made once per JVM if nothing made it before: 75-130 ms of CPU in a daemon thread,
 * which a pool starts after its eighth reply, so that it never delays a pool's start, and a pool that runs a handful
 * of tasks never pays it.
 * Off with -Dmp4j.jit.early=false, as the children's settings; nothing is done in a JVM that has them already (a
 * child that makes a pool), or whose JDK refuses them (an error is logged as an event, nothing else happens).
 * </pre>
 */
public final class OwnJit {
    private static final AtomicBoolean REQUESTED = new AtomicBoolean();

    private OwnJit() {
    }

    /** Adds the directives in a daemon thread, the first time this is called in this JVM; returns at once. */
    public static void requestOnce() {
        if (REQUESTED.get() || !REQUESTED.compareAndSet(false, true) || !JvmCommand.earlyJitWanted(List.of())) {
            return;
        }
        Thread t = new Thread(OwnJit::install, "mp4j-jit-directives");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Adds the directives now, unless this JVM's command line has the children's settings already.
     *
     * @return whether they were added
     */
    public static boolean install() {
        try {
            if (ManagementFactory.getRuntimeMXBean().getInputArguments().containsAll(JvmCommand.EARLY_JIT)) {
                return false;
            }
            Path file = RuntimeDir.get().newFile(".jit.json");
            try {
                Files.writeString(file, directives(), StandardCharsets.UTF_8);
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                Object answer = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "compilerDirectivesAdd", new Object[] {new String[] {file.toString()}},
                        new String[] {String[].class.getName()});
                if (!String.valueOf(answer).contains("added")) {
                    Log.event(processName(), "the JIT refused the library's compiler directives: " + answer);
                    return false;
                }
                return true;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (Exception | LinkageError e) {
            Log.event(processName(), "cannot give the JIT the library's compiler directives: " + e);
            return false;
        }
    }

    /**
     * @return the directives, as HotSpot's compiler-control JSON: the kept methods first (the first directive that
     *     matches a method wins), with C2's default node limit; then the rest of the C1-only classes, with a node limit
     *     of 1, on which C2 gives up at once, so that tiered compilation compiles them with C1 for good
     */
    static String directives() {
        return "[{match: " + patterns(JvmCommand.C2_KEPT) + ", c2: {MaxNodeLimit: " + JvmCommand.DEFAULT_NODE_LIMIT
                + "}}, {match: " + patterns(JvmCommand.C1_ONLY) + ", c2: {MaxNodeLimit: 1}}]";
    }

    private static String processName() {
        return org.multiprocessing4j.Multiprocessing.currentProcess().name();
    }

    private static String patterns(List<String> list) {
        return list.stream().map(p -> "\"" + JvmCommand.LIBRARY_PATTERN + p + "\"")
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
