package org.multiprocessing4j.pool;

import java.time.Duration;

/**
 * Figures of one worker slot of a {@link ProcessPool}, summed over every process that has filled the slot.
 *
 * @param slot the slot, {@code 0..processes-1}
 * @param pid the pid of the slot's current worker, or -1 while none runs
 * @param tasksDone tasks (a map chunk counts as one) that ended, normally or with an exception
 * @param busyTime time spent running tasks, as measured in the workers
 * @param restarts how many times the slot's worker was replaced (death, time-out, cancel, maxTasksPerChild)
 * @param running tasks sent to the current worker and not yet answered
 */
public record WorkerStats(int slot, long pid, long tasksDone, Duration busyTime, int restarts, int running) {
}
