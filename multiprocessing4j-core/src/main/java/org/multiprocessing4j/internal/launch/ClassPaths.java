package org.multiprocessing4j.internal.launch;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the class path a child needs to load the parent's classes, however the parent was started: {@code java
 * -cp}, {@code java -jar} (the jar is the class path), a module path, Surefire's manifest-only jar, or a class
 * loader that is not the system one ({@code mvn exec:java}, an IDE), whose URLs and the task's code source are
 * added. The library's own location is always included.
 */
final class ClassPaths {
    private ClassPaths() {
    }

    static List<String> resolve(List<String> explicit, Class<?> taskClass) {
        Set<String> entries = new LinkedHashSet<>();
        if (explicit != null) {
            entries.addAll(explicit);
        } else {
            split(System.getProperty("java.class.path"), entries);
            split(System.getProperty("jdk.module.path"), entries);
            addLoaderUrls(taskClass.getClassLoader(), entries);
            addLoaderUrls(Thread.currentThread().getContextClassLoader(), entries);
            addCodeSource(taskClass, entries);
        }
        addCodeSource(ClassPaths.class, entries);
        entries.remove("");
        return List.copyOf(new ArrayList<>(entries));
    }

    private static void split(String path, Set<String> into) {
        if (path != null && !path.isEmpty()) {
            for (String entry : path.split(File.pathSeparator)) {
                into.add(entry);
            }
        }
    }

    private static void addLoaderUrls(ClassLoader loader, Set<String> into) {
        List<String> found = new ArrayList<>();
        for (ClassLoader l = loader; l != null && l != ClassLoader.getSystemClassLoader(); l = l.getParent()) {
            if (l instanceof URLClassLoader) {
                for (URL url : ((URLClassLoader) l).getURLs()) {
                    String path = toPath(url);
                    if (path != null) {
                        found.add(path);
                    }
                }
            }
        }
        // parents first, as the loaders delegate
        for (int i = found.size() - 1; i >= 0; i--) {
            into.add(found.get(i));
        }
    }

    private static void addCodeSource(Class<?> type, Set<String> into) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            String path = toPath(source.getLocation());
            if (path != null && !into.contains(path)) {
                into.add(path);
            }
        }
    }

    private static String toPath(URL url) {
        if (!"file".equals(url.getProtocol())) {
            return null;
        }
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
