package org.multiprocessing4j.internal.child;

import java.io.EOFException;
import java.io.IOException;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.internal.Log;
import org.multiprocessing4j.internal.ProcessAccess;
import org.multiprocessing4j.internal.control.Bootstrap;
import org.multiprocessing4j.internal.control.ControlChannel;
import org.multiprocessing4j.internal.control.ControlMessage;
import org.multiprocessing4j.internal.control.ControlMessage.Reason;

/**
 * The main class of every child JVM.
 *
 * <pre>
 * Overview (docs/process-lifecycle.md, "Inside the child"):
 *  1. begin opening a socket in a thread of its own (Connector); read the bootstrap line from stdin (the parent then
 *     closes it: the task sees an empty stdin)
 *  2. connect to the parent's socket in that thread; meanwhile install the signal handlers
 *     and exit hook that report how the child ends, and only then let the connection authenticate (both sides
 *     prove they know the launch secret: the parent's start() returns after that, so its signals meet our
 *     handlers); from then on, signals and orderly exits are reported to the parent
 *  3. a child given its process in the line (Bootstrap.Mode.DIRECT) announces on stderr that it runs it, and
 *     goes on to step 5 at once: once connected, the connector thread attaches the exit reporter and starts the
 *     parent watch; until then reports wait, and the exit hook waits for them to be sent
 *  4. else, while connecting, warm up (Warmup): a spawned child the decoding of a process, a JVM started ahead of
 *     time a whole process and the preloaded classes; the latter then waits; end of stream = exit quietly; then
 *     receive ASSIGN; while it waits, a JVM started ahead of time rehearses the library's per-item paths
 *     (Rehearsals), and stops when ASSIGN comes
 *  5. deserialize the process, make it the current process
 *  6. watch the parent (end of stream = parent gone: a daemon exits), report signals and orderly exits
 *  7. run the task: on return report RETURNED and let the JVM end when the task's threads have; on an exception
 *     print "Process NAME:" and the stack trace to stderr, report RAISED and exit with 1
 * </pre>
 */
public final class ChildMain {
    private ChildMain() {
    }

    /**
     * Runs a child JVM; started by the library only.
     *
     * @param args none
     */
    public static void main(String[] args) {
        Connector connector = Connector.begin();
        Bootstrap boot = readBootstrap();
        connector.connectTo(boot);
        boolean direct = boot.mode() == Bootstrap.Mode.DIRECT;
        ExitReporter reporter = ExitReporter.install(direct);
        connector.allowHandshake();
        ControlMessage.Assign assign;
        ParentWatch watch = null;
        if (direct) {
            assign = directAssign(boot);
            Bootstrap.announceRunning();
            connector.attachWhenConnected(reporter, assign.daemon());
        } else {
            int primitives = Warmup.run(boot);
            ControlChannel channel = connect(connector);
            reporter.attach(channel);
            watch = ParentWatch.prepare(channel);
            Rehearsals rehearsals = Rehearsals.begin(primitives);
            assign = awaitAssign(channel);
            rehearsals.end();
        }
        ProcessAccess.get().preset(assign.name(), assign.daemon(), assign.authKey(), assign.parentName(),
                assign.parentPid());
        ChildProcess process = decode(reporter, assign);
        ProcessAccess.get().becomeCurrent(process, assign.parentName(), assign.parentPid());
        if (watch != null) {
            watch.arm(process.isDaemon());
        }
        if (Log.stderrEnabled()) {
            Log.event(process.name(), "child process calling run()");
        }
        try {
            process.run();
        } catch (Throwable t) {
            System.err.println("Process " + process.name() + ":");
            t.printStackTrace();
            System.err.flush();
            reporter.report(Reason.RAISED, 1);
            System.exit(1);
        }
        reporter.report(Reason.RETURNED, 0);
    }

    private static Bootstrap readBootstrap() {
        try {
            return Bootstrap.readFrom(System.in);
        } catch (IOException e) {
            System.err.println("multiprocessing4j child: " + e.getMessage());
            Runtime.getRuntime().halt(2);
            throw new AssertionError(e);
        }
    }

    private static ControlChannel connect(Connector connector) {
        try {
            return connector.channel();
        } catch (IOException e) {
            Runtime.getRuntime().halt(2); // the connector has said why and halts too
            throw new AssertionError(e);
        }
    }

    private static ControlMessage.Assign awaitAssign(ControlChannel channel) {
        try {
            ControlMessage m = channel.receive();
            if (m instanceof ControlMessage.Assign) {
                return (ControlMessage.Assign) m;
            }
            throw new IOException("expected ASSIGN, got " + m);
        } catch (EOFException e) {
            // a JVM started ahead of time that its parent no longer needs, or whose parent is gone
            Runtime.getRuntime().halt(0);
            throw new AssertionError(e);
        } catch (IOException e) {
            System.err.println("multiprocessing4j child: broken control channel: " + e);
            Runtime.getRuntime().halt(2);
            throw new AssertionError(e);
        }
    }

    private static ControlMessage.Assign directAssign(Bootstrap boot) {
        try {
            return boot.assign();
        } catch (IOException e) {
            System.err.println("multiprocessing4j child: corrupt bootstrap line: " + e.getMessage());
            Runtime.getRuntime().halt(2);
            throw new AssertionError(e);
        }
    }

    private static ChildProcess decode(ExitReporter reporter, ControlMessage.Assign assign) {
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            return ProcessAccess.get().decode(assign.process(), loader);
        } catch (IOException | RuntimeException | LinkageError e) {
            System.err.println("multiprocessing4j child: cannot deserialize the process it was given: " + e);
            e.printStackTrace();
            System.err.println("(check that the task's classes are on the child's class path)");
            reporter.report(Reason.RAISED, 1);
            System.exit(1);
            throw new AssertionError(e);
        }
    }
}
