package org.multiprocessing4j.internal.child;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.internal.ProcessAccess;
import org.multiprocessing4j.internal.codec.LambdaForms;
import org.multiprocessing4j.internal.codec.Lambdas;
import org.multiprocessing4j.internal.control.Bootstrap;
import org.multiprocessing4j.internal.control.ControlChannel;
import org.multiprocessing4j.internal.control.ControlMessage;
import org.multiprocessing4j.internal.os.Nonces;

/**
 * The main class of the library's training JVM, which records a class-data-sharing archive of the child start
 * path: it plays both ends of a control channel over a real Unix socket (hand-shake, ASSIGN of a process with a
 * lambda, decoding and running it, the exit reporter), then exits. It ends early if its parent ends (its stdin
 * closes). Started by the library only; its output is discarded.
 */
public final class Training {
    /**
     * The system property that names, comma-separated, the classes of tasks whose children the archive serves: the
     * training loads them (without initializing them), so they are archived.
     */
    public static final String TASK_CLASSES_PROPERTY = "mp4j.internal.trainTasks";
    /** The socket file and its directory, which a training that ends with its parent deletes before it halts. */
    private static volatile Path socketFile;
    private static volatile Path socketDir;

    private Training() {
    }

    /**
     * Runs the training.
     *
     * @param args none
     * @throws Exception if the start path fails; no archive is published then
     */
    public static void main(String[] args) throws Exception {
        run();
    }

    /**
     * Loads, without initializing, every class of the library's jar, so the archive holds the parts of the library a
     * child uses beyond the start path (pool workers, pipes, locks): no static initializer runs, no list to keep.
     */
    private static void loadLibraryClasses() {
        ClassLoader loader = Training.class.getClassLoader();
        try {
            Path jar = Path.of(Training.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                return;
            }
            try (JarFile file = new JarFile(jar.toFile())) {
                file.stream().map(JarEntry::getName)
                        .filter(n -> n.startsWith("org/multiprocessing4j/") && n.endsWith(".class")
                                && !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
                        .forEach(n -> load(n.substring(0, n.length() - ".class".length()).replace('/', '.'), loader));
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // the start path alone is archived then
        }
    }

    private static void load(String name, ClassLoader loader) {
        try {
            Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            // a class that needs what this JVM lacks: left out of the archive
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            if (p != null) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // the sweep of the runtime directory does not reach it; nothing else to do while halting
        }
    }

    /**
     * The path of a child given its process in its bootstrap line: the line read back, and a process whose lambda
     * class is not made here, whose body is called by reflection.
     */
    private static void trainDirect(String socket, byte[] secret) throws Exception {
        String word = "direct";
        int number = 1;
        long wide = 2;
        double real = 3;
        // the bodies' usual parameter lists: from JDK 18 on, a reflective call adapts a method handle to each one's
        // erased types, and the archive keeps the adaptations made here
        List<SerializableRunnable> targets = List.of(() -> word.length(), () -> Integer.hashCode(number),
                () -> Long.hashCode(wide), () -> Double.hashCode(real), () -> word.indexOf(number),
                () -> word.concat(word), () -> Integer.compare(number, number), Training::idle);
        for (SerializableRunnable target : targets) {
            ChildProcess process = new ChildProcess(target, "training-direct");
            ControlMessage.Assign assign = new ControlMessage.Assign(ProcessAccess.get().encode(process),
                    "training-direct", false, secret, "MainProcess", 1);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            new Bootstrap(socket, secret, Bootstrap.Mode.DIRECT, ControlMessage.encode(assign)).writeTo(line);
            Bootstrap back = Bootstrap.readFrom(new ByteArrayInputStream(line.toByteArray()));
            ProcessAccess.get().decode(back.assign().process(), Training.class.getClassLoader()).run();
        }
    }

    /** A body without parameters, for {@link #trainDirect}. */
    private static void idle() {
        // nothing to do
    }

    private static void run() throws Exception {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is ever written
                }
            } catch (IOException ignored) {
                // same as end of stream
            }
            deleteQuietly(socketFile);
            deleteQuietly(socketDir);
            Runtime.getRuntime().halt(3);
        }, "mp4j-training-parent-watch");
        watch.setDaemon(true);
        watch.start();

        Path dir = Files.createTempDirectory("mp4j-training");
        Path socket = dir.resolve("t.sock");
        socketDir = dir;
        socketFile = socket;
        byte[] secret = Nonces.random(32);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<ControlChannel> parentEnd = CompletableFuture.supplyAsync(() -> {
                try {
                    return ControlChannel.serve(server.accept(), secret);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (ControlChannel child = ControlChannel.connect(socket.toString(), secret);
                 ControlChannel parent = parentEnd.get()) {
                ExitReporter.install().attach(child);
                Warmup.run(new Bootstrap("", secret, Bootstrap.Mode.READY, new byte[0]));
                ChildProcess process = new ChildProcess(() -> Thread.currentThread().getName(), "training");
                byte[] encoded = ProcessAccess.get().encode(process);
                Lambdas.prepare(LambdaForms.peekShape(encoded), Training.class.getClassLoader());
                parent.send(new ControlMessage.Assign(encoded, "training", false, secret, "MainProcess", 1));
                ControlMessage.Assign assign = (ControlMessage.Assign) child.receive();
                ProcessAccess.get().decode(assign.process(), Training.class.getClassLoader()).run();
                trainDirect(socket.toString(), secret);
                child.send(new ControlMessage.Exiting(ControlMessage.Reason.RETURNED, 0));
                parent.receive();
                loadLibraryClasses();
                for (String task : System.getProperty(TASK_CLASSES_PROPERTY, "").split(",")) {
                    if (!task.isEmpty()) {
                        load(task, Training.class.getClassLoader());
                    }
                }
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }
}
