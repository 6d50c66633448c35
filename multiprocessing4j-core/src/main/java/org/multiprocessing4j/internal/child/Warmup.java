package org.multiprocessing4j.internal.child;

import java.io.IOException;
import java.util.List;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.internal.Log;
import org.multiprocessing4j.internal.ProcessAccess;
import org.multiprocessing4j.internal.codec.JdkCodec;
import org.multiprocessing4j.internal.codec.LambdaShape;
import org.multiprocessing4j.internal.codec.Lambdas;
import org.multiprocessing4j.internal.control.Bootstrap;
import org.multiprocessing4j.internal.control.ControlMessage;

/**
 * What a JVM started ahead of time does while it waits, so that the process it is later given starts in
 * milliseconds: it sends the probe process ({@link WarmupProbe}, a lambda target) through the codec and runs it, and
 * a subclass of {@link ChildProcess}, which loads and initializes what every start needs (object streams and their
 * class descriptors, {@code SerializedLambda} and the invoke machinery behind it, the SHA-1 digest of default serial
 * version UIDs, the process table, a thread); then it makes the classes of the lambdas its parent sent lately, so
 * that a process with one of them needs no class made when it arrives. A spawned child only decodes the probe its
 * parent sent. The process
 * table this creates is replaced when the real process arrives.
 */
final class Warmup {
    private Warmup() {
    }

    /**
     * Warms up what starting a process needs.
     *
     * @param boot the bootstrap: a JVM started ahead of time warms up everything and the preloaded classes; a
     *     spawned child, whose process is on its way, only decodes the probe its parent sent
     * @return for a JVM started ahead of time, the primitives its parent has used ({@code PrimitiveUse} bits), for
     *     it to rehearse; else 0
     */
    static int run(Bootstrap boot) {
        Log.stderrEnabled(); // initializes Log, which the main thread asks right before the task (~0.45 ms, timed)
        WarmupProbe.Plan plan;
        try {
            plan = WarmupProbe.read(boot.payload());
        } catch (IOException e) {
            plan = new WarmupProbe.Plan(List.of(), new byte[0]); // warming up is an optimization only
        }
        if (boot.mode() != Bootstrap.Mode.READY) {
            prepare(plan.shapes());
            WarmupProbe.decode(plan.probe());
            return 0;
        }
        ChildProcess probe = WarmupProbe.decode(WarmupProbe.encoded(true));
        try {
            if (probe != null) {
                probe.run();
                ControlMessage.rehearse(new ControlMessage.Assign(WarmupProbe.encoded(true), probe.name(), false,
                        probe.authKey(), "warmup", 0));
            }
            JdkCodec.INSTANCE.decode(JdkCodec.INSTANCE.encode(new SubclassProbe()), Warmup.class.getClassLoader());
            Thread t = new Thread(() -> { });
            t.setDaemon(true);
            t.start();
            t.join();
        } catch (Exception | LinkageError e) {
            // warming up is an optimization only
        }
        prepare(plan.shapes());
        preload(System.getProperty(Bootstrap.PRELOAD_PROPERTY, ""));
        if (probe != null) {
            // the steps after decoding, rehearsed last: the real ones replace this process table at ASSIGN
            ProcessAccess.get().preset(probe.name(), false, probe.authKey(), "warmup", 0);
            ProcessAccess.get().becomeCurrent(probe, "warmup", 0);
        }
        return plan.primitives();
    }

    /** Makes the classes of the lambdas whose shapes the parent sent (loading, not initializing, their classes). */
    private static void prepare(List<LambdaShape> shapes) {
        for (LambdaShape shape : shapes) {
            try {
                Lambdas.prepare(shape, ClassLoader.getSystemClassLoader());
            } catch (RuntimeException | LinkageError e) {
                // warming up is an optimization only
            }
        }
    }

    /**
     * A process as the seed's programs write them, a subclass that overrides {@code run()} with no
     * {@code serialVersionUID}: decoding one computes the class's default serial version UID, a SHA-1 digest whose
     * first use loads and initializes the security providers (~8 ms of CPU in a fresh JVM).
     */
    @SuppressWarnings("serial")
    private static final class SubclassProbe extends ChildProcess {
        SubclassProbe() {
            super();
        }

        @Override
        public void run() {
            // never run: only decoded
        }
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
