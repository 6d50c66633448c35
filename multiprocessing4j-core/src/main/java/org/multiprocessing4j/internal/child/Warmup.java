package org.multiprocessing4j.internal.child;

import java.io.IOException;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.internal.codec.JdkCodec;
import org.multiprocessing4j.internal.control.Bootstrap;

/**
 * What a JVM started ahead of time does while it waits, so that the process it is later given starts in
 * milliseconds: it sends a {@link ChildProcess} with a lambda target through the codec and runs it, which loads
 * and initializes what every start needs (object streams and their class descriptors, {@code SerializedLambda}
 * and the invoke machinery behind it, the process table, a thread). The process table this creates is replaced
 * when the real process arrives.
 */
final class Warmup {
    private Warmup() {
    }

    static void run() {
        try {
            ChildProcess probe = new ChildProcess(() -> Thread.currentThread().getName(), "warmup");
            Object back = JdkCodec.INSTANCE.decode(JdkCodec.INSTANCE.encode(probe), Warmup.class.getClassLoader());
            ((ChildProcess) back).run();
            Thread t = new Thread(() -> { });
            t.setDaemon(true);
            t.start();
            t.join();
        } catch (Exception | LinkageError e) {
            // warming up is an optimization only
        }
        preload(System.getProperty(Bootstrap.PRELOAD_PROPERTY, ""));
    }

    /** Loads and initializes the classes named by {@code Context.withPreload}, reporting any that fails. */
    private static void preload(String names) {
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        for (String name : names.split(",")) {
            if (name.isEmpty()) {
                continue;
            }
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                System.err.println("multiprocessing4j: cannot preload " + name + " in a ready JVM (pid "
                        + ProcessHandle.current().pid() + "): " + e + " (check Context.withPreload and the class "
                        + "path; the process this JVM runs will load it again)");
            }
        }
    }
}
