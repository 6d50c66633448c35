package org.multiprocessing4j.internal.child;

import java.io.IOException;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.internal.codec.JdkCodec;

/**
 * What a JVM started ahead of time does while it waits, so that the task it is later given starts in
 * milliseconds: it runs once through what every task's start runs through (object streams, a serialized lambda,
 * the invoke machinery behind it, a thread).
 */
final class Warmup {
    private Warmup() {
    }

    static void run() {
        try {
            SerializableRunnable r = () -> Thread.currentThread().getName();
            Object back = JdkCodec.INSTANCE.decode(JdkCodec.INSTANCE.encode(r), Warmup.class.getClassLoader());
            ((SerializableRunnable) back).run();
            Thread t = new Thread(() -> { });
            t.start();
            t.join();
        } catch (Exception e) {
            // warming up is an optimization only
        }
    }
}
