package org.multiprocessing4j.internal.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that decides how a child JVM is launched; equal specs give interchangeable JVMs, so a spec is also
 * the key under which JVMs made ready ahead of time wait.
 *
 * @param java the java executable
 * @param jvmOptions every JVM option: inherited, then the context's, then the process's
 * @param classPath the class path entries
 * @param environment variables set ({@code null} value: removed) in the inherited environment
 * @param workingDirectory the working directory, or {@code null} for this JVM's
 * @param startTimeout how long the child may take to connect back
 */
public record LaunchSpec(Path java, List<String> jvmOptions, List<String> classPath, Map<String, String> environment,
                         Path workingDirectory, Duration startTimeout) {

    /**
     * Assembles a spec from a context's settings and a process's.
     *
     * @param java the context's java executable, or {@code null} for this JVM's
     * @param contextOptions the context's JVM options
     * @param processOptions the process's JVM options
     * @param classPath the context's class path, or {@code null} to inherit this JVM's
     * @param environment the context's environment changes
     * @param workingDirectory the context's working directory, or {@code null}
     * @param startTimeout the context's start time-out
     * @param taskClass the class of the task, whose class loader may hold classes the child needs
     * @return the spec
     */
    public static LaunchSpec of(Path java, List<String> contextOptions, List<String> processOptions,
                                List<String> classPath, Map<String, String> environment, Path workingDirectory,
                                Duration startTimeout, Class<?> taskClass) {
        List<String> options = new ArrayList<>(InheritedOptions.get());
        options.addAll(contextOptions);
        options.addAll(processOptions == null ? List.of() : processOptions);
        return new LaunchSpec(java != null ? java : defaultJava(), List.copyOf(options),
                ClassPaths.resolve(classPath, taskClass), Collections.unmodifiableMap(new HashMap<>(environment)), workingDirectory,
                startTimeout);
    }

    /** @return the java executable that runs this JVM */
    static Path defaultJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
