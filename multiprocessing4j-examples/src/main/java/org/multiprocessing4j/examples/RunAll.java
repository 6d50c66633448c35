package org.multiprocessing4j.examples;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The main class of the examples jar: runs every example in sequence, each under a header line
 * ({@code == WorkerTime ==}), or the one named.
 *
 * <pre>
 * java -jar multiprocessing4j-examples.jar                       every example, default intervals
 * java -jar multiprocessing4j-examples.jar WorkerTime [SECONDS]   one example, with its own arguments
 * </pre>
 * Each example joins its children before it returns, so the next one starts with no child running.
 */
public final class RunAll {
    /** An example's {@code main}. */
    @FunctionalInterface
    interface Example {
        void main(String[] args) throws Exception;
    }

    /** The examples, in the seed's order. */
    static final Map<String, Example> EXAMPLES = examples();

    private RunAll() {
    }

    /**
     * Runs every example, or the one named by the first argument (the other arguments are its own).
     *
     * @param args nothing, or an example's name and its arguments
     * @throws Exception whatever an example throws
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            for (Map.Entry<String, Example> e : EXAMPLES.entrySet()) {
                runOne(e.getKey(), e.getValue(), new String[0]);
            }
            return;
        }
        String name = findName(args[0]);
        if (name == null) {
            System.err.println("unknown example: " + args[0] + " (choose one of " + EXAMPLES.keySet() + ")");
            System.exit(2);
        }
        runOne(name, EXAMPLES.get(name), Arrays.copyOfRange(args, 1, args.length));
    }

    private static void runOne(String name, Example example, String[] args) throws Exception {
        System.out.println("== " + name + " ==");
        example.main(args);
    }

    /** @return the example's name as listed, matched without regard to case, or {@code null} */
    static String findName(String wanted) {
        for (String name : EXAMPLES.keySet()) {
            if (name.toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT))) {
                return name;
            }
        }
        return null;
    }

    private static Map<String, Example> examples() {
        Map<String, Example> m = new LinkedHashMap<>();
        m.put("WorkerTime", WorkerTime::main);
        m.put("ThreeWorkers", ThreeWorkers::main);
        m.put("ClockProcessExample", ClockProcessExample::main);
        m.put("JoinExample", JoinExample::main);
        m.put("QueueExample", QueueExample::main);
        m.put("PipeExample", PipeExample::main);
        m.put("LockExample", LockExample::main);
        m.put("SharedValueExample", SharedValueExample::main);
        m.put("ManagerExample", ManagerExample::main);
        m.put("PoolExample", PoolExample::main);
        return java.util.Collections.unmodifiableMap(m);
    }
}
