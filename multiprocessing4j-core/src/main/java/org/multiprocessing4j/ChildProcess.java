package org.multiprocessing4j;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.internal.codec.JdkCodec;
import org.multiprocessing4j.internal.launch.ChildSupervisor;
import org.multiprocessing4j.internal.launch.LaunchSpec;
import org.multiprocessing4j.internal.launch.Launchers;
import org.multiprocessing4j.internal.os.SelfPid;

/**
 * A child process: a JVM of its own that runs a task (Python's {@code multiprocessing.Process}).
 *
 * <pre>{@code
 * ChildProcess p = new ChildProcess(() -> worker(3));
 * p.start();
 * p.join();
 * }</pre>
 * The target, or the whole object when a subclass overrides {@link #run()}, is serialized at {@link #start()} and
 * run in the child, where {@link Multiprocessing#currentProcess()} returns that copy.
 *
 * <h2>Lifecycle (as seen by the process that made it)</h2>
 * <pre>
 * state     | reached by                       | isAlive | exitCode | allowed
 * NEW       | construction                     | false   | null     | start, run, setName, setDaemon, setAuthKey, close
 * STARTED   | start() returned                 | true    | null     | join, terminate, kill, onExit
 * ENDED     | the child's JVM has exited       | false   | code     | join (returns at once), close
 * CLOSED    | close()                          | false   | code     | nothing but name(), pid(), exitCode()
 * </pre>
 * {@code exitCode()}: 0 after a normal end; 1 after an uncaught exception (stack trace on the child's stderr);
 * {@code n} after {@code System.exit(n)}; {@code -N} after a death by signal N ({@code -15} after
 * {@link #terminate()}, {@code -9} after {@link #kill()}). A child tells its parent how it ends over its control
 * channel, so {@code System.exit(143)} is 143 while a SIGTERM is -15. Only {@code Runtime.halt(128 + N)}, which
 * skips everything, reads as a death by signal N.
 *
 * <h2>Daemon children</h2>
 * A daemon child ends when its parent ends, however the parent ends ({@code kill -9} included: it notices within
 * milliseconds), and may not start children of its own. When the main program ends normally it first waits for
 * its non-daemon children, as Python does; non-daemon children outlive a parent that crashes or calls
 * {@code System.exit}.
 *
 * <p>Not thread-safe for configuration ({@code set…} before {@code start()}); the lifecycle methods may be called
 * from any thread.
 */
public class ChildProcess implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    static {
        ProcessTable.registerAccess();
    }

    private final SerializableRunnable target;
    private final int[] identity;
    private final long creatorPid;
    private String name;
    private boolean daemon;
    private byte[] authKey;
    private List<String> jvmOptions = List.of();

    private transient Context context;
    private transient volatile ChildSupervisor supervisor;
    private transient volatile boolean closed;
    private transient long selfPid = -1;

    /**
     * Makes a process that runs {@code target} in a child JVM, named {@code ChildProcess-N}.
     *
     * @param target the task; the values it captures travel with it
     */
    public ChildProcess(SerializableRunnable target) {
        this(Objects.requireNonNull(target, "target"), null);
    }

    /**
     * Makes a named process that runs {@code target} in a child JVM.
     *
     * @param target the task; the values it captures travel with it
     * @param name the process name, or {@code null} for {@code ChildProcess-N}
     */
    public ChildProcess(SerializableRunnable target, String name) {
        this(target, name, ProcessTable.get().nextIdentity());
    }

    /** A process with the given identity (an empty one for the warm-up probe, which takes no number). */
    ChildProcess(SerializableRunnable target, String name, int[] identity) {
        ProcessTable table = ProcessTable.get();
        this.target = target;
        this.identity = identity;
        this.creatorPid = SelfPid.get();
        this.name = name != null ? name : defaultName(identity);
        this.daemon = table.current().daemon;
        this.authKey = table.current().authKey.clone();
    }

    /** A process decoded from its {@link ProcessForm}. */
    ChildProcess(SerializableRunnable target, int[] identity, long creatorPid, String name, boolean daemon,
                 byte[] authKey, List<String> jvmOptions) {
        this.target = target;
        this.identity = identity;
        this.creatorPid = creatorPid;
        this.name = name;
        this.daemon = daemon;
        this.authKey = authKey;
        this.jvmOptions = jvmOptions;
    }

    /** For subclasses that override {@link #run()}: a process without a target. */
    protected ChildProcess() {
        this(null, null);
    }

    /** The object that stands for a process other than a child of this one: the main process, or a parent. */
    ChildProcess(String name, long pid, byte[] authKey, boolean daemon) {
        this.target = null;
        this.identity = new int[0];
        this.creatorPid = -1;
        this.name = name;
        this.authKey = authKey;
        this.daemon = daemon;
        this.selfPid = pid;
    }

    /**
     * The task, run in the child by {@link #start()} or in this thread when called directly. Runs the target given
     * to the constructor; subclasses override it.
     *
     * @throws Exception anything the task throws
     */
    public void run() throws Exception {
        if (target != null) {
            target.run();
        }
    }

    /**
     * Starts the child: serializes the task, hands it to a new JVM (or one made ready ahead of time, see
     * {@link StartMethod}) and returns once the child has received it.
     *
     * @throws IllegalStateException if the process was started before, was closed, was not made by this process, or
     *     this process is a daemon (a daemon may not have children)
     * @throws IllegalArgumentException if the task cannot be serialized; the message names the class at fault
     * @throws ProcessStartException if the child JVM cannot be started; nothing is left behind
     */
    public synchronized void start() {
        checkCreatedHere("start");
        if (supervisor != null || closed) {
            throw new IllegalStateException("cannot start a process twice: name=" + name + " pid=" + pid());
        }
        ProcessTable table = ProcessTable.get();
        if (table.current().daemon) {
            throw new IllegalStateException("a daemon process may not start children of its own: current="
                    + table.current().name + " child=" + name + " (make the current process non-daemon)");
        }
        byte[] payload = serialize();
        Context ctx = context != null ? context : Multiprocessing.getContext();
        boolean ready = ctx.startMethod() == StartMethod.PRESTART;
        LaunchSpec spec = ctx.launchSpec(jvmOptions, classOfTask());
        supervisor = Launchers.start(spec, ready ? ctx.readyJvms() : -1, payload, name, daemon, authKey,
                table.current().name);
        table.register(this);
    }

    /**
     * Waits until the child has ended.
     *
     * @throws InterruptedException if this thread is interrupted while waiting; the child goes on
     * @throws IllegalStateException if the process was not started
     */
    public void join() throws InterruptedException {
        started("join").awaitExit();
    }

    /**
     * Waits at most {@code timeout} for the child to end.
     *
     * @param timeout the longest wait
     * @return {@code true} if the child has ended
     * @throws InterruptedException if this thread is interrupted while waiting; the child goes on
     * @throws IllegalStateException if the process was not started
     */
    public boolean join(Duration timeout) throws InterruptedException {
        return started("join").awaitExit(timeout);
    }

    /**
     * @return whether the child has been started and has not yet ended; for the current process, {@code true}
     * @throws IllegalStateException if the process object was closed
     */
    public boolean isAlive() {
        if (closed) {
            throw new IllegalStateException("process object is closed: name=" + name + " pid=" + pid());
        }
        return running();
    }

    /** Whether the child runs, without the closed check: what {@code activeChildren()} needs. */
    boolean running() {
        if (creatorPid == -1 || selfPid != -1) {
            return selfPid == SelfPid.get()
                    || ProcessHandle.of(selfPid).map(ProcessHandle::isAlive).orElse(false);
        }
        ChildSupervisor s = supervisor;
        return s != null && s.isAlive();
    }

    /** Ends the child with SIGTERM (its shutdown hooks run); its exit code becomes {@code -15}. No-op once ended. */
    public void terminate() {
        started("terminate").terminate();
    }

    /** Ends the child with SIGKILL at once; its exit code becomes {@code -9}. No-op once ended. */
    public void kill() {
        started("kill").kill();
    }

    /**
     * Releases what the process holds in this JVM. Idempotent.
     *
     * @throws IllegalStateException if the child is still running
     */
    @Override
    public void close() {
        ChildSupervisor s = supervisor;
        if (s != null && s.isAlive()) {
            throw new IllegalStateException("cannot close a process that is still running: name=" + name
                    + " pid=" + pid() + " (join() or terminate() it first)");
        }
        closed = true;
        if (s != null) {
            s.close();
        }
    }

    /** @return a future that completes with this process once the child has ended (Python's {@code sentinel}) */
    public CompletableFuture<ChildProcess> onExit() {
        return started("onExit").exit().thenApply(code -> this);
    }

    /** @return the exit code, or {@code null} while the child runs or before it starts; see the class comment */
    public Integer exitCode() {
        ChildSupervisor s = supervisor;
        return s == null ? null : s.exitCode();
    }

    /** @return the OS process id, or {@code -1} before {@code start()} */
    public long pid() {
        if (selfPid != -1) {
            return selfPid;
        }
        ChildSupervisor s = supervisor;
        return s == null ? -1 : s.pid();
    }

    /** @return the name: {@code ChildProcess-N}, {@code ChildProcess-N:M} for a child's child, or the one given */
    public String name() {
        return name;
    }

    /**
     * @param name the new name
     */
    public void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** @return whether the process is a daemon; inherited from the creating process */
    public boolean isDaemon() {
        return daemon;
    }

    /**
     * @param daemon whether the child ends with its parent
     * @throws IllegalStateException once the process has been started
     */
    public void setDaemon(boolean daemon) {
        if (supervisor != null || selfPid != -1) {
            throw new IllegalStateException("the daemon flag is set before start(): name=" + name + " pid=" + pid());
        }
        this.daemon = daemon;
    }

    /** @return a copy of the auth key (32 random bytes in the main process, inherited by children) */
    public byte[] authKey() {
        return authKey.clone();
    }

    /**
     * @param key the new auth key; any non-empty byte array
     * @throws IllegalArgumentException if the key is empty
     */
    public void setAuthKey(byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("auth key must not be empty");
        }
        this.authKey = key.clone();
    }

    /** @return the JVM options of this process alone, after those of its context */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /**
     * @param options JVM options for this process alone, such as {@code -Xmx2g}; they come last, so they win
     * @return this process
     */
    public ChildProcess setJvmOptions(String... options) {
        this.jvmOptions = List.of(options);
        return this;
    }

    ChildProcess setContext(Context context) {
        this.context = context;
        return this;
    }

    int[] identity() {
        return identity;
    }

    SerializableRunnable target() {
        return target;
    }

    long creatorPid() {
        return creatorPid;
    }

    /** Makes this deserialized copy the current process of this JVM. */
    void becomeSelf(long pid) {
        this.selfPid = pid;
    }

    @Override
    public String toString() {
        Integer code = exitCode();
        String state = selfPid != -1 ? "started" : supervisor == null ? "initial"
                : code == null ? "started" : "stopped exitcode=" + code;
        return "<" + getClass().getSimpleName() + " name='" + name + "' pid=" + pid() + " " + state
                + (daemon ? " daemon" : "") + ">";
    }

    private ChildSupervisor started(String operation) {
        checkCreatedHere(operation);
        if (closed) {
            throw new IllegalStateException("process object is closed: cannot " + operation + " name=" + name
                    + " pid=" + pid() + " exitCode=" + exitCode());
        }
        ChildSupervisor s = supervisor;
        if (s == null) {
            throw new IllegalStateException("cannot " + operation + " a process that was not started: name=" + name);
        }
        return s;
    }

    private void checkCreatedHere(String operation) {
        if (creatorPid != SelfPid.get() || selfPid != -1) {
            throw new IllegalStateException("can only " + operation + " a child process made by this process: name="
                    + name + " madeBy=" + creatorPid + " current=" + SelfPid.get());
        }
    }

    private Class<?> classOfTask() {
        return target != null ? target.getClass() : getClass();
    }

    private byte[] serialize() {
        byte[] form = ProcessForm.encode(this);
        if (form != null) {
            return form;
        }
        try {
            return JdkCodec.INSTANCE.encode(this);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("the task of " + name + " cannot be sent to a child process: class "
                    + e.getMessage() + " is not serializable (make it implement java.io.Serializable, mark the field "
                    + "transient, or avoid capturing it; a lambda that uses an instance field or method captures "
                    + "'this')", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("the task of " + name + " cannot be serialized: " + e, e);
        }
    }

    private static String defaultName(int[] identity) {
        StringBuilder s = new StringBuilder("ChildProcess-");
        for (int i = 0; i < identity.length; i++) {
            s.append(i == 0 ? "" : ":").append(identity[i]);
        }
        return s.toString();
    }
}
