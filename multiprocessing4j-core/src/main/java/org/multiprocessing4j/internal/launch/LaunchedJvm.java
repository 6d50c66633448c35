package org.multiprocessing4j.internal.launch;

import org.multiprocessing4j.internal.control.ControlChannel;
import org.multiprocessing4j.internal.resource.RuntimeDir;

/**
 * A child JVM that has connected back and authenticated, or, given its process directly, ran it and ended before it
 * connected.
 *
 * @param process the OS process
 * @param channel its control channel; null if it ended before it connected
 * @param stderr the pump of its stderr
 * @param launchedNanos when it was launched ({@link System#nanoTime()})
 * @param assigned whether it was given its process in its bootstrap line (else it waits for an ASSIGN)
 */
record LaunchedJvm(Process process, ControlChannel channel, StderrPump stderr, long launchedNanos, boolean assigned) {

    /** Ends the JVM at once and releases its channel. */
    void discard() {
        closeChannel();
        process.destroyForcibly();
        // killed, it cannot delete its runtime directory (a ready JVM's rehearsal makes bell sockets there)
        process.onExit().thenRun(this::deleteRuntimeDirectory);
    }

    /** Deletes the runtime directory of this JVM if it has ended: see {@link RuntimeDir#deleteAbandoned(long)}. */
    void deleteRuntimeDirectory() {
        RuntimeDir.deleteAbandoned(process.pid());
    }

    /** Releases the channel, if it has one. */
    void closeChannel() {
        if (channel != null) {
            channel.close();
        }
    }
}
