package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.sync.ProcessEvent;

/**
 * A program that has run more processes at once than its context keeps ready finds that many JVMs ready the next
 * time (up to two per core): a burst of four starts takes four ready JVMs, none launched on demand.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadyBurstTest {
    /** Makes the context's launch spec its own, so that its ready JVMs can be told from the other tests'. */
    private static final String MARK = "-Dmp4j.test.readyBurst=1";

    @Test
    void afterFourProcessesAtOnceFourJvmsAreReadyAndTheNextBurstTakesThem() throws Exception {
        Context ctx = Multiprocessing.getContext(StartMethod.PRESTART).withReadyJvms(1).withJvmOptions(MARK);
        burst(ctx, 4); // the first: one ready JVM (the count), the rest launched on demand
        int cap = Math.min(8, 2 * Runtime.getRuntime().availableProcessors());
        int expected = Math.min(4, cap);
        Set<Long> ready = awaitReady(expected);
        assertEquals(expected, ready.size(), "ready JVMs after a burst of four: " + ready);
        List<ChildProcess> second = burst(ctx, expected);
        for (ChildProcess p : second) {
            assertTrue(ready.contains(p.pid()), "a process of the second burst ran in a JVM launched on demand: pid="
                    + p.pid() + " ready were " + ready);
        }
    }

    /** Starts {@code n} processes that all run at once, then lets them end and joins them. */
    private static List<ChildProcess> burst(Context ctx, int n) throws Exception {
        ProcessEvent go = new ProcessEvent();
        List<ChildProcess> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ChildProcess p = ctx.process(() -> go.await());
            p.start();
            ps.add(p);
        }
        go.set();
        for (ChildProcess p : ps) {
            p.join();
            assertEquals(0, p.exitCode(), "exit code of " + p);
        }
        return ps;
    }

    /**
     * @return the pids of this context's ready JVMs once there are {@code n} (or what there is after 60 s), read
     *     again half a second later so that one more would show
     */
    private static Set<Long> awaitReady(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (marked().size() < n && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(500);
        return marked();
    }

    private static Set<Long> marked() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(h -> h.info().arguments().map(a -> List.of(a).contains(MARK)).orElse(false))
                .map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}
