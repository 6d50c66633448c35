package org.multiprocessing4j.internal.launch;

import java.util.List;

/** Class-data sharing for child JVMs (filled in below). */
final class ClassDataSharing {
    private ClassDataSharing() {
    }

    static List<String> options(LaunchSpec spec) {
        return List.of();
    }
}
