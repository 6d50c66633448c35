package org.multiprocessing4j.internal.launch;

/**
 * Turns what the parent observed of a child's end into Python's exit code.
 *
 * <pre>
 * The JDK reports a death by signal N as 128 + N, the same value that System.exit(128 + N) gives, so the child
 * tells its parent how it ends (ControlMessage.Exiting):
 *   a SIGNALLED N report                          -> -N   (SIGTERM, SIGINT, SIGHUP: the JVM's hooks ran)
 *   an ORDERLY report (the JVM's shutdown hooks ran) -> the OS exit code as it is
 *   no report and an OS code of 129..192          -> -(code - 128): SIGKILL, a crash, or Runtime.halt(code)
 *   otherwise                                     -> the OS exit code
 * </pre>
 */
final class ExitStatus {
    private static final int SIGNAL_BASE = 128;
    private static final int MAX_SIGNAL = 64;

    private ExitStatus() {
    }

    static int resolve(int osCode, int signalled, boolean orderly) {
        if (signalled > 0) {
            return -signalled;
        }
        if (!orderly && osCode > SIGNAL_BASE && osCode <= SIGNAL_BASE + MAX_SIGNAL) {
            return -(osCode - SIGNAL_BASE);
        }
        return osCode;
    }
}
