package org.multiprocessing4j.internal.launch;

import org.multiprocessing4j.internal.control.ControlChannel;

/**
 * A child JVM that has connected back and authenticated, not yet given a process to run.
 *
 * @param process the OS process
 * @param channel its control channel
 * @param stderr the pump of its stderr
 * @param launchedNanos when it was launched ({@link System#nanoTime()})
 */
record LaunchedJvm(Process process, ControlChannel channel, StderrPump stderr, long launchedNanos) {

    /** Ends the JVM at once and releases its channel. */
    void discard() {
        channel.close();
        process.destroyForcibly();
    }
}
