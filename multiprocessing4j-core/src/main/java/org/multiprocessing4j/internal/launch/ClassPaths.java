package org.multiprocessing4j.internal.launch;

import java.io.File;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;

/**
 * Finds the class path a child needs to load the parent's classes, however the parent was started: {@code java
 * -cp}, {@code java -jar} (the jar is the class path), a module path, Surefire's manifest-only jar, or a class
 * loader that is not the system one ({@code mvn exec:java}, an IDE), whose URLs and the task's code source are
 * added. Entries are made absolute (a child may run in another working directory) and appear once. The library's
 * own location is added unless an entry already holds the library.
 */
final class ClassPaths {
    private static final String MARKER = "org/multiprocessing4j/internal/child/ChildMain.class";
    private static final Map<String, Boolean> HOLDS_LIBRARY = new ConcurrentHashMap<>();
    /** Where a class was loaded from, as a class path entry; empty if unknown. */
    private static final ClassValue<String> CODE_SOURCE = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return codeSource(type);
        }
    };
    private static volatile Inherited lastInherited;

    private ClassPaths() {
    }

    static List<String> resolve(List<String> explicit, Class<?> taskClass) {
        if (explicit != null) {
            Set<String> entries = new LinkedHashSet<>();
            explicit.forEach(e -> add(e, entries));
            return withLibrary(entries);
        }
        String classPath = System.getProperty("java.class.path");
        String modulePath = System.getProperty("jdk.module.path");
        ClassLoader contextLoader = Thread.currentThread().getContextClassLoader();
        String codeSource = CODE_SOURCE.get(taskClass);
        Inherited last = lastInherited;
        if (last != null && last.matches(classPath, modulePath, taskClass.getClassLoader(), contextLoader, codeSource)) {
            return last.entries();
        }
        Set<String> entries = new LinkedHashSet<>();
        split(classPath, entries);
        split(modulePath, entries);
        addLoaderUrls(taskClass.getClassLoader(), entries);
        addLoaderUrls(contextLoader, entries);
        add(codeSource, entries);
        List<String> resolved = withLibrary(entries);
        lastInherited = new Inherited(classPath, modulePath, new WeakReference<>(taskClass.getClassLoader()),
                new WeakReference<>(contextLoader), codeSource, resolved);
        return resolved;
    }

    private static List<String> withLibrary(Set<String> entries) {
        if (entries.stream().noneMatch(ClassPaths::holdsLibrary)) {
            add(CODE_SOURCE.get(ClassPaths.class), entries);
        }
        return List.copyOf(new ArrayList<>(entries));
    }

    /**
     * The last inherited class path and what it was made from: starts from one program give the same inputs, and
     * resolving again (paths made absolute, code sources, loader URLs) costs ~0.2 ms of an interpreted start().
     * A loader's URLs are read once per pair of loaders.
     */
    private record Inherited(String classPath, String modulePath, WeakReference<ClassLoader> taskLoader,
                             WeakReference<ClassLoader> contextLoader, String codeSource, List<String> entries) {
        boolean matches(String cp, String mp, ClassLoader task, ClassLoader context, String source) {
            return Objects.equals(cp, classPath) && Objects.equals(mp, modulePath) && taskLoader.get() == task
                    && contextLoader.get() == context && source.equals(codeSource);
        }
    }

    private static void add(String entry, Set<String> into) {
        if (!entry.isEmpty()) {
            into.add(Path.of(entry).toAbsolutePath().normalize().toString());
        }
    }

    private static boolean holdsLibrary(String entry) {
        return HOLDS_LIBRARY.computeIfAbsent(entry, e -> {
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                return Files.isRegularFile(p.resolve(MARKER));
            }
            try (JarFile jar = new JarFile(p.toFile())) {
                return jar.getEntry(MARKER) != null;
            } catch (IOException | RuntimeException ex) {
                return false;
            }
        });
    }

    private static void split(String path, Set<String> into) {
        if (path != null && !path.isEmpty()) {
            for (String entry : path.split(File.pathSeparator)) {
                add(entry, into);
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
            add(found.get(i), into);
        }
    }

    private static String codeSource(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            String path = toPath(source.getLocation());
            if (path != null) {
                return path;
            }
        }
        return "";
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
