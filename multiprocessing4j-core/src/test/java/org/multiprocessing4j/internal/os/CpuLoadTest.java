package org.multiprocessing4j.internal.os;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link CpuLoad}: the machine's idle cores, and what this process itself ran beside them. */
class CpuLoadTest {
    @Test
    void aSamplerBesidesThisProcessCountsTheCpuThatThisProcessUsedAsSpare() {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "the counters are Linux's");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        CpuLoad load = CpuLoad.besidesThisProcess().sample();
        long until = threads.getCurrentThreadCpuTime() + 300_000_000L;
        long spun = 0;
        while (threads.getCurrentThreadCpuTime() < until) { // 300 ms of this thread's CPU, however long that takes
            spun++;
        }
        load.sample();
        double idle = load.idle();
        double spare = load.idleBesidesSelf();
        assertTrue(spun > 0 && idle >= 0 && idle <= load.cpus(), "idle cores " + idle);
        // the ticks of 300 ms of this thread's CPU count as spare beside the idle ones
        assertTrue(spare > idle && spare <= load.cpus(), "spare " + spare + " beside this process, idle " + idle);
    }

    @Test
    void aPlainSamplerHasNoFigureBesidesThisProcess() {
        CpuLoad load = new CpuLoad().sample();
        assertTrue(Double.isNaN(load.sample().idleBesidesSelf()));
    }
}
