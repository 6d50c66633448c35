package org.multiprocessing4j.internal.launch;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options of this JVM that a child inherits: the user's {@code -Xmx}, {@code -D…}, {@code --add-opens}
 * and the like, but not a debugger agent (its port would clash), not this JVM's class-data-sharing, AOT-cache or
 * flight-recorder files, and not the launcher's own bookkeeping properties.
 */
final class InheritedOptions {
    private static volatile List<String> inherited;

    private InheritedOptions() {
    }

    static List<String> get() {
        List<String> options = inherited;
        if (options == null) {
            options = filter(ManagementFactory.getRuntimeMXBean().getInputArguments());
            inherited = options;
        }
        return options;
    }

    static List<String> filter(List<String> arguments) {
        List<String> kept = new ArrayList<>();
        for (String a : arguments) {
            if (!dropped(a)) {
                kept.add(a);
            }
        }
        return List.copyOf(kept);
    }

    private static boolean dropped(String a) {
        return a.startsWith("-agentlib:jdwp") || a.startsWith("-Xrunjdwp") || a.equals("-Xdebug")
                || a.equals("-Xnoagent") || a.startsWith("-Xshare") || a.startsWith("-XX:SharedArchiveFile")
                || a.startsWith("-XX:ArchiveClassesAtExit") || a.contains("AutoCreateSharedArchive")
                || a.startsWith("-XX:AOT") || a.startsWith("-XX:StartFlightRecording")
                || a.startsWith("-XX:Flags=") || a.startsWith("-Djava.class.path=")
                || a.startsWith("-Dsun.java.command") || a.startsWith("-Djdk.module.")
                || a.startsWith("-Dsun.java.launcher") || a.startsWith("-Dmp4j.internal.");
    }
}
