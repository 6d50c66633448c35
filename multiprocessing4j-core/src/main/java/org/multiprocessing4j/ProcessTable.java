package org.multiprocessing4j;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.internal.ProcessAccess;
import org.multiprocessing4j.internal.codec.JdkCodec;
import org.multiprocessing4j.internal.codec.LambdaForms;
import org.multiprocessing4j.internal.os.Nonces;
import org.multiprocessing4j.internal.os.SelfPid;

/**
 * This JVM's view of the process tree: the current process, its parent, the children it started, and the counter
 * that numbers their names. One per JVM; in a child it is set up from the received process before the task runs.
 */
final class ProcessTable {
    private static volatile ProcessTable instance;

    private final ChildProcess current;
    private final ChildProcess parent;
    private final AtomicInteger counter = new AtomicInteger();
    private final Set<ChildProcess> children = new LinkedHashSet<>();

    private ProcessTable(ChildProcess current, ChildProcess parent) {
        this.current = current;
        this.parent = parent;
    }

    static ProcessTable get() {
        ProcessTable t = instance;
        if (t == null) {
            synchronized (ProcessTable.class) {
                t = instance;
                if (t == null) {
                    byte[] key = Nonces.random(32);
                    t = new ProcessTable(new ChildProcess("MainProcess", SelfPid.get(), key, false),
                            null);
                    instance = t;
                }
            }
        }
        return t;
    }

    static void registerAccess() {
        ProcessAccess.install(new ProcessAccess() {
            @Override
            public void preset(String name, boolean daemon, byte[] authKey, String parentName, long parentPid) {
                synchronized (ProcessTable.class) {
                    instance = new ProcessTable(new ChildProcess(name, SelfPid.get(), authKey,
                            daemon), new ChildProcess(parentName, parentPid, authKey, false));
                }
            }

            @Override
            public byte[] encode(ChildProcess process) throws IOException {
                byte[] form = ProcessForm.encode(process);
                return form != null ? form : JdkCodec.INSTANCE.encode(process);
            }

            @Override
            public ChildProcess decode(byte[] bytes, ClassLoader loader) throws IOException {
                return LambdaForms.isForm(bytes) ? ProcessForm.decode(bytes, loader)
                        : (ChildProcess) JdkCodec.INSTANCE.decode(bytes, loader);
            }

            @Override
            public ChildProcess probe(SerializableRunnable target, String name) {
                return new ChildProcess(target, name, new int[0]);
            }

            @Override
            public void becomeCurrent(ChildProcess process, String parentName, long parentPid) {
                process.becomeSelf(SelfPid.get());
                synchronized (ProcessTable.class) {
                    instance = new ProcessTable(process,
                            new ChildProcess(parentName, parentPid, process.authKey(), false));
                }
            }
        });
    }

    ChildProcess current() {
        return current;
    }

    ChildProcess parent() {
        return parent;
    }

    int[] nextIdentity() {
        int[] prefix = current.identity();
        int[] id = new int[prefix.length + 1];
        System.arraycopy(prefix, 0, id, 0, prefix.length);
        id[prefix.length] = counter.incrementAndGet();
        return id;
    }

    /** Adds a started child; forgets the ones that have ended, as Python's {@code start()} does. */
    void register(ChildProcess child) {
        synchronized (children) {
            children.removeIf(c -> !c.running());
            children.add(child);
        }
    }

    /** The started children that are still running; forgets the ones that have ended (Python reaps here). */
    List<ChildProcess> activeChildren() {
        synchronized (children) {
            children.removeIf(c -> !c.running());
            return new ArrayList<>(children);
        }
    }
}
