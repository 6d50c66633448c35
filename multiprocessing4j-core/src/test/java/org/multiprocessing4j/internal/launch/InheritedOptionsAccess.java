package org.multiprocessing4j.internal.launch;

import java.util.List;

/** Test access to the package-private option filter. */
public final class InheritedOptionsAccess {
    private InheritedOptionsAccess() {
    }

    public static List<String> filter(List<String> arguments) {
        return InheritedOptions.filter(arguments);
    }
}
