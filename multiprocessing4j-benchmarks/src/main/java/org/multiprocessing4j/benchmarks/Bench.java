package org.multiprocessing4j.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * {@code java -jar multiprocessing4j-benchmarks.jar BENCH [args]}: runs one benchmark, the Java twin of
 * {@code ../shared/bench/python/BENCH.py}, and prints one JSON record per metric. Exit code 0 on success, 1 when
 * the bench fails, 2 on a usage error.
 */
public final class Bench {
    private static final Map<String, ToIntFunction<String[]>> BENCHES = new LinkedHashMap<>();

    static {
        BENCHES.put(ProcessStart.BENCH, ProcessStart::run);
        BENCHES.put(PipePingpong.BENCH, PipePingpong::run);
        BENCHES.put(PipeBandwidth.BENCH, PipeBandwidth::run);
        BENCHES.put(SharedValueLock.BENCH, SharedValueLock::run);
        BENCHES.put(PoolMapOverhead.BENCH, a -> unchecked(() -> PoolMapOverhead.run(a)));
        BENCHES.put(PoolCpuScaling.BENCH, a -> unchecked(() -> PoolCpuScaling.run(a)));
        BENCHES.put(ManagerDict.BENCH, a -> unchecked(() -> ManagerDict.run(a)));
        BENCHES.put(QueueThroughput.BENCH, QueueThroughput::run);
    }

    private Bench() {
    }

    /** A bench body that may throw checked exceptions; they fail the bench (exit code 1). */
    private static int unchecked(java.util.concurrent.Callable<Integer> body) {
        try {
            return body.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bad argument or setting: the message says which; exit code 2. */
    static final class Usage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Usage(String message) {
            super(message);
        }
    }

    /**
     * Runs the bench named by the first argument with the remaining ones.
     *
     * @param args the bench name, then its arguments
     */
    public static void main(String[] args) {
        if (args.length == 0 || !BENCHES.containsKey(args[0])) {
            System.err.println((args.length == 0 ? "no bench given" : "unknown bench: '" + args[0] + "'")
                    + "; known benches: " + String.join(", ", BENCHES.keySet())
                    + "\nusage: java -jar multiprocessing4j-benchmarks.jar BENCH [args]   (env MPBENCH_SCALE=0.1 for a"
                    + " quick look)");
            System.exit(2);
        }
        int code;
        try {
            code = BENCHES.get(args[0]).applyAsInt(Arrays.copyOfRange(args, 1, args.length));
        } catch (Usage e) {
            System.err.println(args[0] + ": " + e.getMessage());
            code = 2;
        } catch (Throwable t) {
            System.err.println(args[0] + " failed:");
            t.printStackTrace();
            code = 1;
        }
        if (code != 0) {
            System.exit(code);
        }
        // code 0: return normally, so that the library's exit handling runs as in any program
    }
}
