package org.multiprocessing4j.internal.manager;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.List;
import org.multiprocessing4j.internal.manager.served.ServedBarrier;
import org.multiprocessing4j.internal.manager.served.ServedCondition;
import org.multiprocessing4j.internal.manager.served.ServedEvent;
import org.multiprocessing4j.internal.manager.served.ServedLock;
import org.multiprocessing4j.internal.manager.served.ServedNamespace;
import org.multiprocessing4j.internal.manager.served.ServedSemaphore;
import org.multiprocessing4j.internal.manager.served.ServedValue;
import org.multiprocessing4j.manager.ManagedBarrier;
import org.multiprocessing4j.manager.ManagedCondition;
import org.multiprocessing4j.manager.ManagedEvent;
import org.multiprocessing4j.manager.ManagedSemaphore;
import org.multiprocessing4j.manager.ManagedValue;
import org.multiprocessing4j.manager.Namespace;

/**
 * The built-in kinds of object a manager makes ({@code dict}, {@code list}, …): for each, the interface its
 * proxies implement and how the server makes one from the {@link Request.Create}'s arguments.
 */
public final class Kinds {
    /**
     * A kind.
     *
     * @param type the interface of its proxies
     * @param factory makes the server's object from the arguments
     */
    public record Kind(Class<?> type, java.util.function.Function<Object[], Object> factory) {
    }

    private static final Map<String, Kind> KINDS = Map.ofEntries(
            Map.entry("dict", new Kind(ConcurrentMap.class, a -> new ConcurrentHashMap<>())),
            Map.entry("list", new Kind(List.class, a -> Collections.synchronizedList(new ArrayList<>()))),
            Map.entry("namespace", new Kind(Namespace.class, a -> new ServedNamespace())),
            Map.entry("queue", new Kind(BlockingQueue.class, a -> a.length == 0 ? new LinkedBlockingQueue<>()
                    : new LinkedBlockingQueue<>((Integer) a[0]))),
            Map.entry("lock", new Kind(Lock.class, a -> new ServedLock(false))),
            Map.entry("rlock", new Kind(Lock.class, a -> new ServedLock(true))),
            Map.entry("condition", new Kind(ManagedCondition.class, a -> new ServedCondition())),
            Map.entry("semaphore", new Kind(ManagedSemaphore.class, a -> new ServedSemaphore((Integer) a[0]))),
            Map.entry("event", new Kind(ManagedEvent.class, a -> new ServedEvent())),
            Map.entry("barrier", new Kind(ManagedBarrier.class, a -> new ServedBarrier((Integer) a[0]))),
            Map.entry("value", new Kind(ManagedValue.class, a -> new ServedValue<>(a[0]))));

    /** Interfaces whose results are returned as proxies rather than copies (besides registered ones). */
    private static final java.util.Set<Class<?>> PROXIED = java.util.Set.of(ConcurrentMap.class, List.class,
            BlockingQueue.class, Lock.class, Condition.class, ManagedCondition.class, Namespace.class,
            ManagedSemaphore.class, ManagedEvent.class, ManagedBarrier.class, ManagedValue.class);

    private Kinds() {
    }

    /** @param name a kind's name @return the kind, or {@code null} */
    public static Kind of(String name) {
        return KINDS.get(name);
    }

    /** @param type a method's declared return type @return whether the built-in kinds proxy it */
    public static boolean proxied(Class<?> type) {
        return PROXIED.contains(type);
    }
}
