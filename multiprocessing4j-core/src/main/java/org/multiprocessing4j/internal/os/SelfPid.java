package org.multiprocessing4j.internal.os;

import java.io.File;
import java.io.IOException;

/**
 * This process's pid, read where a fresh JVM reads it cheaply: {@code /proc/self} names it on Linux (~0.1 ms),
 * while the first {@code ProcessHandle.current()} of a JDK 17 JVM costs ~5 ms (its class starts the process reaper's
 * executor, whose lambda initializes the invoke machinery), which a spawned child would pay before its task's first
 * line. Elsewhere, {@code ProcessHandle}.
 */
public final class SelfPid {
    private static final long PID = read();

    private SelfPid() {
    }

    /** @return this process's pid */
    public static long get() {
        return PID;
    }

    private static long read() {
        try {
            File self = new File("/proc/self");
            if (self.isDirectory()) {
                return Long.parseLong(self.getCanonicalFile().getName());
            }
        } catch (IOException | RuntimeException e) {
            // no procfs as Linux has it: ask the JDK
        }
        return ProcessHandle.current().pid();
    }
}
