package org.multiprocessing4j;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.internal.control.Bootstrap;
import org.multiprocessing4j.internal.launch.LaunchSpec;

/**
 * A start method together with the JVM settings of the children it makes (Python's {@code get_context()}):
 * java executable, JVM options, class path, environment, working directory. Immutable: each {@code with…} method
 * returns a new context. Processes made by {@link #process} use it; a {@code ChildProcess} made with
 * {@code new} uses the default context ({@link Multiprocessing#getContext()}) as it is when {@code start()} runs.
 *
 * <p>Children inherit the parent's class path and the JVM options the parent was started with (not a debugger
 * agent, not class-data-sharing or flight-recorder files); this context's options come after them, and a
 * process's own options ({@link ChildProcess#setJvmOptions}) last, so the last word wins. Unless some option says
 * otherwise, a child gets a modest heap ({@code -Xmx512m}) and the Serial collector, which start fastest and suit
 * most child tasks.
 */
public final class Context {
    private final StartMethod startMethod;
    private final Path javaExecutable;
    private final List<String> jvmOptions;
    private final List<String> classPath;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final Duration startTimeout;
    private final int readyJvms;
    private final List<String> preload;
    private volatile SpecMemo memo;

    Context(StartMethod startMethod) {
        this(startMethod, null, List.of(), null, Map.of(), null, Duration.ofSeconds(60), 2, List.of());
    }

    private Context(StartMethod startMethod, Path javaExecutable, List<String> jvmOptions, List<String> classPath,
                    Map<String, String> environment, Path workingDirectory, Duration startTimeout, int readyJvms,
                    List<String> preload) {
        this.startMethod = startMethod;
        this.javaExecutable = javaExecutable;
        this.jvmOptions = jvmOptions;
        this.classPath = classPath;
        this.environment = environment;
        this.workingDirectory = workingDirectory;
        this.startTimeout = startTimeout;
        this.readyJvms = readyJvms;
        this.preload = preload;
    }

    /**
     * Makes a process that runs {@code target} with this context.
     *
     * @param target the task
     * @return the process, not yet started
     */
    public ChildProcess process(SerializableRunnable target) {
        return new ChildProcess(target).setContext(this);
    }

    /**
     * Makes a named process that runs {@code target} with this context.
     *
     * @param target the task
     * @param name the process name
     * @return the process, not yet started
     */
    public ChildProcess process(SerializableRunnable target, String name) {
        return new ChildProcess(target, name).setContext(this);
    }

    /** @return the start method */
    public StartMethod startMethod() {
        return startMethod;
    }

    /** @return the java executable of the children, or {@code null} for the one running this JVM */
    public Path javaExecutable() {
        return javaExecutable;
    }

    /** @return the JVM options added after the inherited ones */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /** @return the children's class path, or {@code null} to inherit this JVM's */
    public List<String> classPath() {
        return classPath;
    }

    /** @return variables set (or, with a {@code null} value, removed) in the inherited environment */
    public Map<String, String> environment() {
        return environment;
    }

    /** @return the children's working directory, or {@code null} for this JVM's */
    public Path workingDirectory() {
        return workingDirectory;
    }

    /** @return how long a child JVM may take to connect back before {@code start()} gives up */
    public Duration startTimeout() {
        return startTimeout;
    }

    /** @return how many JVMs {@link StartMethod#PRESTART} keeps ready at least (see {@link #withReadyJvms}) */
    public int readyJvms() {
        return readyJvms;
    }

    /**
     * @param method the start method
     * @return a context with that start method and these settings
     */
    public Context withStartMethod(StartMethod method) {
        return new Context(Objects.requireNonNull(method, "method"), javaExecutable, jvmOptions, classPath,
                environment, workingDirectory, startTimeout, readyJvms, preload);
    }

    /**
     * @param java the java executable for the children, such as another JDK's {@code bin/java}
     * @return a context whose children run on that executable
     */
    public Context withJavaExecutable(Path java) {
        return new Context(startMethod, Objects.requireNonNull(java, "java"), jvmOptions, classPath, environment,
                workingDirectory, startTimeout, readyJvms, preload);
    }

    /**
     * @param options JVM options such as {@code -Xmx2g} or {@code -Dkey=value}, after the inherited ones
     * @return a context with these options added to this one's
     */
    public Context withJvmOptions(String... options) {
        List<String> all = new ArrayList<>(jvmOptions);
        for (String option : options) {
            all.add(Objects.requireNonNull(option, "option"));
        }
        return new Context(startMethod, javaExecutable, List.copyOf(all), classPath, environment, workingDirectory,
                startTimeout, readyJvms, preload);
    }

    /**
     * @param entries the children's class path, in place of the inherited one (the library's own jar is added
     *     when missing)
     * @return a context with that class path
     */
    public Context withClassPath(List<String> entries) {
        return new Context(startMethod, javaExecutable, jvmOptions, List.copyOf(entries), environment,
                workingDirectory, startTimeout, readyJvms, preload);
    }

    /**
     * @param variables variables to set in the children's inherited environment; a {@code null} value removes one
     * @return a context with these changes added to this one's
     */
    public Context withEnvironment(Map<String, String> variables) {
        Map<String, String> all = new LinkedHashMap<>(environment);
        all.putAll(variables);
        return new Context(startMethod, javaExecutable, jvmOptions, classPath,
                Collections.unmodifiableMap(all), workingDirectory, startTimeout, readyJvms, preload);
    }

    /**
     * @param directory the children's working directory
     * @return a context with that working directory
     */
    public Context withWorkingDirectory(Path directory) {
        return new Context(startMethod, javaExecutable, jvmOptions, classPath, environment,
                Objects.requireNonNull(directory, "directory"), startTimeout, readyJvms, preload);
    }

    /**
     * @param timeout how long a child JVM may take to connect back (default 60 s)
     * @return a context with that time-out
     * @throws IllegalArgumentException if the time-out is not positive
     */
    public Context withStartTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("start timeout must be positive: timeout=" + timeout);
        }
        return new Context(startMethod, javaExecutable, jvmOptions, classPath, environment, workingDirectory,
                timeout, readyJvms, preload);
    }

    /**
     * @param count how many JVMs {@link StartMethod#PRESTART} keeps ready at least (default 2; 0 launches on demand
     *     only): it keeps more, up to two per core and eight in all, when the program has had more processes
     *     running at once, so that its next burst of starts finds a JVM ready for each; a JVM left unused for about
     *     a minute is ended
     * @return a context with that count
     * @throws IllegalArgumentException if the count is negative
     */
    public Context withReadyJvms(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("ready JVM count must not be negative: count=" + count);
        }
        return new Context(startMethod, javaExecutable, jvmOptions, classPath, environment, workingDirectory,
                startTimeout, count, preload);
    }

    /** @return the classes that JVMs made ready ahead of time load and initialize while they wait */
    public List<String> preload() {
        return preload;
    }

    /**
     * How to launch a JVM for a process of this context: the context's settings, then the process's JVM options.
     * The latest spec is kept and given again while the process options and the task's class loader stay the same,
     * so that the launcher finds its ready JVMs by identity: assembling a spec and finding them by value cost
     * ~0.15 ms of a ~1 ms start in the interpreter.
     *
     * @param processOptions the process's JVM options
     * @param taskClass the class of the task, whose class loader may hold classes the child needs
     * @return the spec
     */
    LaunchSpec launchSpec(List<String> processOptions, Class<?> taskClass) {
        SpecMemo m = memo;
        ClassLoader loader = taskClass.getClassLoader();
        if (m != null && m.loader == loader && m.processOptions.equals(processOptions)) {
            return m.spec;
        }
        List<String> contextOptions = jvmOptions;
        if (startMethod == StartMethod.PRESTART && !preload.isEmpty()) {
            contextOptions = new ArrayList<>(contextOptions);
            contextOptions.add("-D" + Bootstrap.PRELOAD_PROPERTY + "=" + String.join(",", preload));
        }
        LaunchSpec spec = LaunchSpec.of(javaExecutable, contextOptions, processOptions, classPath, environment,
                workingDirectory, startTimeout, taskClass);
        memo = new SpecMemo(processOptions, loader, spec);
        return spec;
    }

    /** The latest launch spec and what it was made for. */
    private static final class SpecMemo {
        final List<String> processOptions;
        final ClassLoader loader;
        final LaunchSpec spec;

        SpecMemo(List<String> processOptions, ClassLoader loader, LaunchSpec spec) {
            this.processOptions = processOptions;
            this.loader = loader;
            this.spec = spec;
        }
    }

    /**
     * Names classes that every JVM made ready ahead of time ({@link StartMethod#PRESTART}) loads and initializes
     * while it waits (Python's {@code set_forkserver_preload}): their static initializers (loading a model, a native
     * library, a large table) run before {@code start()} is called instead of after. Each ready JVM runs them once,
     * whether or not it is later used, so keep side effects out of them. A class that cannot be loaded or whose
     * initializer throws is reported on that JVM's stderr and skipped; the process it later runs loads it again.
     * Other start methods ignore this.
     *
     * @param classNames fully qualified class names, on the children's class path
     * @return a context with these classes added to this one's
     */
    public Context withPreload(String... classNames) {
        List<String> all = new ArrayList<>(preload);
        for (String name : classNames) {
            if (name == null || name.isBlank() || name.contains(",")) {
                throw new IllegalArgumentException("not a class name: name='" + name + "'");
            }
            all.add(name);
        }
        return new Context(startMethod, javaExecutable, jvmOptions, classPath, environment, workingDirectory,
                startTimeout, readyJvms, List.copyOf(all));
    }

    @Override
    public String toString() {
        return "Context[startMethod=" + startMethod + ", jvmOptions=" + jvmOptions + "]";
    }
}
