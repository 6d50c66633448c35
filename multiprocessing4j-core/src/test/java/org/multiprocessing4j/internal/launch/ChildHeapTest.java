package org.multiprocessing4j.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.connection.Pipe;

/**
 * A child's heap: modest and small to begin with unless an option sizes it, and then the user's alone (an initial
 * size above the default limit used to make the child fail to start).
 */
class ChildHeapTest {
    private static final long MIB = 1024 * 1024;

    private static List<String> command(String... options) throws Exception {
        return JvmCommand.build(new LaunchSpec(LaunchSpec.defaultJava(), List.of(options),
                List.of(System.getProperty("java.class.path")), Map.of(), null, Duration.ofSeconds(30)));
    }

    @Test
    void theDefaultsComeOnlyWhenNoOptionSizesTheHeap() throws Exception {
        List<String> plain = command();
        assertTrue(plain.containsAll(List.of("-Xmx512m", "-Xms32m", "-XX:MaxHeapFreeRatio=100")), plain::toString);
        for (String sizing : List.of("-Xmx2g", "-Xms1g", "-XX:MaxHeapSize=1g", "-XX:InitialHeapSize=64m",
                "-XX:MaxRAMPercentage=10", "-XX:InitialRAMPercentage=5")) {
            List<String> cmd = command(sizing);
            assertFalse(cmd.contains("-Xmx512m") || cmd.contains("-Xms32m")
                    || cmd.contains("-XX:MaxHeapFreeRatio=100"), cmd::toString);
        }
        List<String> ratio = command("-XX:MinHeapFreeRatio=10");
        assertTrue(ratio.containsAll(List.of("-Xmx512m", "-Xms32m")), ratio::toString);
        assertFalse(ratio.contains("-XX:MaxHeapFreeRatio=100"), ratio::toString);
    }

    static void reportHeap(Connection out) throws Exception {
        Runtime rt = Runtime.getRuntime();
        out.send(new long[] {rt.maxMemory(), rt.totalMemory()});
        out.close();
    }

    private static long[] heapOf(String... options) throws Exception {
        Pipe pipe = Pipe.open(false);
        Connection in = pipe.left();
        Connection out = pipe.right();
        ChildProcess child = new ChildProcess(() -> reportHeap(out));
        child.setJvmOptions(options);
        child.start();
        out.close();
        try {
            long[] heap = (long[]) in.recv();
            child.join();
            assertEquals(0, child.exitCode());
            return heap;
        } finally {
            in.close();
            child.kill();
            child.join();
        }
    }

    @Test
    void aChildStartsSmallAndAnInitialSizeAboveTheDefaultLimitIsTheUsers() throws Exception {
        long[] plain = heapOf();
        assertTrue(plain[0] <= 512 * MIB, () -> "max " + plain[0]);
        assertTrue(plain[1] < 128 * MIB, () -> "committed at start " + plain[1]);
        long[] big = heapOf("-Xms600m");
        assertTrue(big[0] >= 600 * MIB, () -> "max " + big[0]);
        assertTrue(big[1] > 512 * MIB, () -> "committed at start " + big[1]);
    }
}
