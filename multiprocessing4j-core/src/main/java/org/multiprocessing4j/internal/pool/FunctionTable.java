package org.multiprocessing4j.internal.pool;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.internal.pool.protocol.PoolMessage;

/**
 * The functions of a pool's map calls in progress, and which workers have each: a function is defined once per
 * call, sent to a worker with its first chunk there (by the {@link Dispatcher}), forgotten by a worker that ends,
 * and released when the call is over (UNDEFINE to every worker that has it). Guarded by the engine's lock.
 */
final class FunctionTable {
    private final PoolEngine engine;
    private final Set<FunctionDef> functions = new HashSet<>();
    private final AtomicInteger ids = new AtomicInteger();

    FunctionTable(PoolEngine engine) {
        this.engine = engine;
    }

    /** Registers a function for the chunks of one map call. */
    FunctionDef define(byte[] bytes) {
        FunctionDef def = new FunctionDef(ids.incrementAndGet(), bytes);
        synchronized (engine) {
            functions.add(def);
        }
        return def;
    }

    /** Tells the workers that have it to forget a function. */
    void release(FunctionDef def) {
        List<WorkerConn> dirty = new ArrayList<>();
        synchronized (engine) {
            if (!functions.remove(def)) {
                return;
            }
            for (WorkerConn w : def.definedOn) {
                if (w.lastDefined == def) {
                    w.lastDefined = null;
                }
                if (!w.gone && w.channel != null) {
                    w.channel.send(new PoolMessage.Undefine(def.id));
                    dirty.add(w);
                }
            }
            def.definedOn.clear();
        }
        Dispatcher.flush(dirty);
    }

    /** A worker's process ended: no function is defined on it any more; under the lock. */
    void forget(WorkerConn w) {
        for (FunctionDef def : functions) {
            def.definedOn.remove(w);
        }
        w.lastDefined = null;
    }
}
