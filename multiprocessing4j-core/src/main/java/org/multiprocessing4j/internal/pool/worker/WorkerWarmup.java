package org.multiprocessing4j.internal.pool.worker;

import java.nio.channels.Selector;
import java.util.List;
import org.multiprocessing4j.function.SerializableCallable;
import org.multiprocessing4j.function.SerializableFunction;
import org.multiprocessing4j.internal.pool.protocol.Items;
import org.multiprocessing4j.internal.pool.protocol.LambdaCodec;
import org.multiprocessing4j.internal.pool.protocol.PoolMessage;

/**
 * Loads and runs, on a background thread of a fresh worker, the code its first task needs (the selector, the
 * message and item codecs, a lambda's trip through the lambda codec), while the main thread connects to the pool
 * and authenticates: that hand-shake mostly waits for the pool, so the first task starts sooner. Only an
 * optimization: a failure here is ignored.
 */
final class WorkerWarmup implements Runnable {
    private WorkerWarmup() {
    }

    static void start() {
        Thread t = new Thread(new WorkerWarmup(), "mp4j-pool-worker-warmup");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        try {
            Selector.open().close();
            PoolMessage.warmUp();
            int seed = 1;
            SerializableCallable<Integer> call = () -> seed + 1;
            SerializableFunction<Integer, Integer> fn = x -> x + seed;
            ClassLoader loader = WorkerWarmup.class.getClassLoader();
            ((SerializableCallable<?>) LambdaCodec.decode(LambdaCodec.encode(call), loader)).call();
            LambdaCodec.decode(LambdaCodec.encode(fn), loader);
            Items.decode(Items.encode(List.of(1, 2)), loader);
            Items.decode(Items.encode(List.of("a", 2L)), loader);
            Errors.encode(new IllegalStateException("warm-up"));
        } catch (Exception | LinkageError e) {
            // warming up is an optimization only
        }
    }
}
