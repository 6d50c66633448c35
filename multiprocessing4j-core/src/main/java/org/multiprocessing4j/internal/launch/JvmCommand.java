package org.multiprocessing4j.internal.launch;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.internal.Log;
import org.multiprocessing4j.internal.resource.RuntimeDir;

/**
 * The command line of a child JVM. Defaults for a quick start come first, so that any option of the user's, which
 * comes after, wins: the Serial collector (unless a collector is chosen), a modest heap that starts small (unless
 * an option sizes the heap: see {@link #MODEST_HEAP}), no performance-data file, the JDK's own selector provider
 * named (see {@link #SELECTOR_PROVIDER}), the library's message paths compiled early, those of queues and pools
 * left to C1 with the shared memory's accessors inlined, and the queues' methods kept out of the user's compiled
 * loops (see {@link #EARLY_JIT}), and the library's class-data-sharing archive where there is one. A class
 * path too long for one argument goes into an argument file. Nothing secret is ever on the command line.
 */
final class JvmCommand {
    static final String CHILD_MAIN = "org.multiprocessing4j.internal.child.ChildMain";
    private static final int MAX_INLINE_CLASS_PATH = 32 * 1024;
    /**
     * The system property that names the NIO selector provider. Unset, a JVM's first socket looks for a provider
     * among the services of every class-path entry (opening each jar) before it takes the JDK's default: 3 ms of a
     * child's start with one jar, 8 ms with sixty (the control socket is opened on the way to the task's first
     * line). Naming the provider this JVM uses, when it is the JDK's own and the child runs this JVM's java,
     * gives the child the same provider without the search.
     */
    static final String SELECTOR_PROVIDER = "java.nio.channels.spi.SelectorProvider";
    /**
     * The heap of a child whose options do not size it: at most 512 MiB (not a quarter of the machine each), and
     * 32 MiB to begin with. The JVM would begin with 1/64 of the machine's memory (376 MiB here, a young generation
     * of ~100 MiB), so a child that allocates less than that in its life never collects and puts every new object on
     * a page it has never touched: a page fault each 4 KiB. Allocating 60 MB of 1 KiB arrays in a fresh JVM took
     * 23-25 ms of CPU so, 5 ms with a 32 MiB start (7 collections), and a queue consumer's CPU fell accordingly.
     * The heap still grows as the child needs; it is not given back ({@code MaxHeapFreeRatio=100}), or a child
     * that receives 64 MiB messages shrank and regrew it at every other one, and faulted its pages in each time
     * (a pipe's receiver took 22-24 ms of CPU per message instead of 5).
     */
    static final List<String> MODEST_HEAP = List.of("-Xmx512m", "-Xms32m");
    /**
     * The system property that, set to {@code false} (in the parent, or in a child's JVM options), leaves out
     * {@link #EARLY_JIT}.
     */
    static final String EARLY_JIT_PROPERTY = "mp4j.jit.early";
    /**
     * The packages whose methods a child's JIT compiles early ({@link #EARLY_JIT}): the per-message paths of pipes
     * and manager connections, and the shared memory and waits under them, compiled after a tenth of the calls that
     * make the JIT compile a method (HotSpot's per-method CompileThresholdScaling; {@code quiet}, or every child would
     * print each command on its stdout). A child is a young JVM whose first thousands of calls otherwise run
     * interpreted and profiled, and whose compilations then land in the middle of its work: in manager_dict, the
     * child's and the server's compiler threads took the cores that the round trips needed, calls stalled for
     * milliseconds, and set+get per s varied 2x from one child to the next. Compiled
     * early, the same paths are ready within the first thousand calls (set+get median of six runs 1.47e5 against
     * 0.99e5, every run's median between 1.38e5 and 1.56e5). The waits, shared memory and locks are also in
     * {@link #C1_ONLY}: early, they reach C1's final code after a tenth of the calls. The queue's and the pool's paths
     * are only left to C1: compiled early with C2, the queue's were no faster (1 KiB items, and ints from one
     * producer, were slower when its packages were included).
     */
    private static final List<String> EARLY_PACKAGES = List.of("connection", "manager", "internal/manager",
            "internal/pipe", "internal/wait", "internal/memory", "internal/sync");
    /**
     * The classes a child's JIT leaves to C1, its quick compiler ({@link #EARLY_JIT}): the per-item paths of queues
     * and pools (a pool's on the worker's side, and on the pool's, since a child may own a pool), and the waits,
     * locks, shared memory and codec under them and under pipes and managers. HotSpot's CompileCommand has no switch
     * for "C1 only", so these get C2 a node limit of 1: C2 gives up on such a method at once, and tiered compilation
     * compiles it with C1 for good (level 1, as for a method that C2 cannot compile).
     * Why: the first thousands of items through a fresh JVM were decided by C2. On 2 cores, its compilations of a
     * pool worker's loop, and of the pool's dispatch and settling, each took 60-150 ms of a core while the two workers
     * and the pool already shared the two, and some were thrown away and made again when the next map took another
     * branch. C1's code for these paths is no slower once compiled: with every pool class at C1, in the pool's JVM
     * and in its workers, the twelfth map of 20,000 one-item chunks ran at 1.5e6 items per s against 0.9e6 with C2.
     * Measured in the benchmarks, alternating runs: a map of 20,000 one-item chunks (the median of three after the
     * warm-up) 2.3e5-4.9e5 items per s against 1.2e5-1.7e5; a queue between fresh workers, with its two packages
     * at C1, 0.65e6-0.86e6 against 0.52e6-0.61e6 ints per s from two producers to two consumers, and 0.63e6-1.26e6
     * against 0.50e6-0.59e6 1 KiB items per s from one to one. The waits, locks, shared memory and codec at C1 too
     * (their C2 compilations, of WaitQueue.wakeOne for one, took up to 45 ms of a fresh queue worker's timed
     * window): one producer's ints 5.4e6-6.2e6 per s against 3.7e6-5.4e6, 1 KiB items 1.2e6-1.9e6 against
     * 1.0e6-1.6e6; manager set+get 1.71e5 per s in two runs against 0.76e5 and 1.48e5; pipe round trips, pipe
     * bandwidth and contended increments of a shared value under its lock within the runs' spread either way.
     * The public pool package is in the list for a JVM that runs a pool (its submission, compiled by C2 in the middle
     * of the work, took 245 ms of a core); {@link OwnJit} gives that JVM the same list while it runs.
     */
    static final List<String> C1_ONLY = List.of("queue/*.*", "internal/queue/*.*", "pool/*.*", "internal/pool/*.*",
            "internal/wait/*.*", "internal/sync/*.*", "internal/memory/*.*", "internal/codec/*.*");
    /**
     * Exceptions to {@link #C1_ONLY}: the loops over a big chunk's items, which call the user's function (C2 inlines
     * it into the loop) or encode and decode whole arrays of items and results. They keep C2, with its default node
     * limit.
     */
    static final List<String> C2_KEPT = List.of("internal/pool/worker/IntChunk.big",
            "internal/pool/worker/IntChunk.general", "internal/pool/protocol/Items.primitives",
            "internal/pool/protocol/Items.read*", "internal/pool/protocol/Items.decode", "internal/pool/MapResults.*");
    /**
     * The queues' methods that a user's code calls, which a child's JIT never inlines into the caller (HotSpot's
     * CompileCommand {@code dontinline}; {@link #EARLY_JIT}). Why: {@link #C1_ONLY} stops C2 from compiling the
     * queue's paths as methods of their own, not from inlining them into a user's method that C2 compiles. A fresh
     * worker's loop over put() or take() was compiled by C2 (on-stack replacement) in the middle of its items with
     * 2.7 KB (put) and 4.8 KB (take) of the library's bytecode inlined: the compiler threads of the two workers of
     * queue_throughput's 1p1c took 5-12 ms of the 2 cores in a 16-23 ms window, and the compilation often ended
     * after the last item. Not inlined, that loop's compilation holds 34-48 bytes and is done within ~1 ms, and the
     * loop calls the queue's own (C1) code. Measured in alternating batches of queue_throughput: 1p1c medians of
     * three invocations 8.61 / 8.29 / 7.32e6 ints per s against 6.16 / 5.98 / 5.94e6; 2p2c and 1 KiB items within
     * the spread either way; with warmed-up workers and 1M items, 1p1c 17-20e6 against 9-17e6, 2p2c 8-13e6 against
     * 5-7e6. The cost: a loop that puts and takes within one JVM, where no other process is involved, runs the
     * queue's C1 code: ~70 ns a pair (with {@link #FORCE_INLINED}) instead of ~35 once C2 had inlined it.
     */
    static final List<String> NOT_INLINED = List.of("queue/ProcessQueue.*", "queue/SimpleProcessQueue.*");
    /**
     * The accessors of shared memory that a child's JIT always inlines (HotSpot's CompileCommand {@code inline}; C1
     * honours it too): C1, which compiles the queue's, the lock's and the wait's paths in a child (see
     * {@link #C1_ONLY}), inlines only methods of up to 35 bytes of bytecode, and Segment's atomic accessors and their
     * address check are a little bigger, so every ring word read, lock CAS and publish was a call of its own, a few
     * per item. Measured with a loop of put and take within one JVM and these settings (EarlyJitTest's probe, 0.8 s):
     * 1.40e9 / 1.39e9 / 1.40e9 against 1.07e9 / 1.07e9 / 0.97e9 (the sum of the items, proportional to the pairs), of
     * which 1.18-1.22e9 by the inlining alone and the rest by Segment's release stores, which C1 would otherwise
     * compile as a volatile store and a full fence (see {@code Segment.setLongRelease}).
     */
    static final List<String> FORCE_INLINED = List.of("internal/memory/Segment.at", "internal/memory/Segment.get*",
            "internal/memory/Segment.set*", "internal/memory/Segment.compareAndSet*", "internal/memory/MappedBytes.*");
    /** HotSpot's default of MaxNodeLimit (the same in JDK 17 and 25). */
    static final int DEFAULT_NODE_LIMIT = 80_000;
    /** The package of the library, as the JIT's method patterns name it. */
    static final String LIBRARY_PATTERN = "org/multiprocessing4j/";
    /**
     * Every JIT setting above, as the child's command-line options; see {@link #EARLY_JIT_PROPERTY}. Declared after
     * the lists it is made of: static fields are initialized in order.
     */
    static final List<String> EARLY_JIT = earlyJit();

    private JvmCommand() {
    }

    static List<String> build(LaunchSpec spec) throws IOException {
        List<String> options = spec.jvmOptions();
        List<String> cmd = new ArrayList<>();
        cmd.add(spec.java().toString());
        if (options.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w*GC"))) {
            cmd.add("-XX:+UseSerialGC");
        }
        if (options.stream().noneMatch(JvmCommand::sizesHeap)) {
            cmd.addAll(MODEST_HEAP);
            if (options.stream().noneMatch(o -> o.startsWith("-XX:MaxHeapFreeRatio")
                    || o.startsWith("-XX:MinHeapFreeRatio"))) {
                cmd.add("-XX:MaxHeapFreeRatio=100");
            }
        }
        cmd.add("-XX:-UsePerfData");
        if (earlyJitWanted(options)) {
            cmd.addAll(EARLY_JIT);
        }
        String provider = spec.java().equals(LaunchSpec.defaultJava()) ? jdkSelectorProvider() : null;
        if (provider != null && options.stream().noneMatch(o -> o.startsWith("-D" + SELECTOR_PROVIDER + "="))) {
            cmd.add("-D" + SELECTOR_PROVIDER + "=" + provider);
        }
        int sharing = cmd.size();
        cmd.addAll(options);
        if (Log.stderrEnabled()) {
            cmd.add("-D" + Log.STDERR_PROPERTY + "=true");
        }
        String classPath = String.join(File.pathSeparator, spec.classPath());
        if (classPath.length() > MAX_INLINE_CLASS_PATH) {
            Path argFile = RuntimeDir.get().newFile(".args");
            Files.writeString(argFile, "-cp \"" + classPath.replace("\\", "\\\\") + "\"", StandardCharsets.UTF_8);
            cmd.add("@" + argFile);
        } else {
            cmd.add("-cp");
            cmd.add(classPath);
        }
        cmd.add(CHILD_MAIN);
        cmd.addAll(sharing, ClassDataSharing.options(spec, List.copyOf(cmd)));
        return cmd;
    }

    /**
     * @return whether the child compiles early: unless {@link #EARLY_JIT_PROPERTY} is {@code false} in the last word
     *     on it, the child's options before this JVM's own property, as the child itself would read it
     */
    static boolean earlyJitWanted(List<String> options) {
        String prefix = "-D" + EARLY_JIT_PROPERTY + "=";
        String value = System.getProperty(EARLY_JIT_PROPERTY);
        for (String o : options) {
            if (o.startsWith(prefix)) {
                value = o.substring(prefix.length());
            }
        }
        return !"false".equals(value);
    }

    private static List<String> earlyJit() {
        List<String> flags = new ArrayList<>();
        flags.add("-XX:CompileCommand=quiet");
        for (String p : EARLY_PACKAGES) {
            flags.add("-XX:CompileCommand=CompileThresholdScaling," + LIBRARY_PATTERN + p + "/*.*,0.1");
        }
        // a later command wins over an earlier one for the same method
        for (String p : C1_ONLY) {
            flags.add("-XX:CompileCommand=MaxNodeLimit," + LIBRARY_PATTERN + p + ",1");
        }
        for (String p : C2_KEPT) {
            flags.add("-XX:CompileCommand=MaxNodeLimit," + LIBRARY_PATTERN + p + "," + DEFAULT_NODE_LIMIT);
        }
        for (String p : NOT_INLINED) {
            flags.add("-XX:CompileCommand=dontinline," + LIBRARY_PATTERN + p);
        }
        for (String p : FORCE_INLINED) {
            flags.add("-XX:CompileCommand=inline," + LIBRARY_PATTERN + p);
        }
        return List.copyOf(flags);
    }

    /** @return the class name of this JVM's selector provider if it is the JDK's own, else null */
    static String jdkSelectorProvider() {
        Class<?> provider = java.nio.channels.spi.SelectorProvider.provider().getClass();
        return provider.getModule() == Object.class.getModule() ? provider.getName() : null;
    }

    /** @return whether the option sizes the heap (then the child's heap is the user's business alone) */
    static boolean sizesHeap(String option) {
        return option.startsWith("-Xmx") || option.startsWith("-Xms") || option.startsWith("-XX:MaxHeapSize")
                || option.startsWith("-XX:InitialHeapSize") || option.startsWith("-XX:MinHeapSize")
                || option.startsWith("-XX:MaxRAM") || option.startsWith("-XX:InitialRAM")
                || option.startsWith("-XX:MinRAM");
    }
}
