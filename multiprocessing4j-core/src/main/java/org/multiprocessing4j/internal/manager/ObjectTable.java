package org.multiprocessing4j.internal.manager;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.multiprocessing4j.internal.manager.served.ServedCondition;
import org.multiprocessing4j.internal.manager.served.ServedLock;

/**
 * The objects a manager's server holds, by id, and who holds them.
 *
 * <pre>
 * Overview. An object lives while it has holders: client sessions (a session holds each reference it was handed
 * in a reply, or adopted, counted, until it releases them: its proxies were garbage-collected), or a pin (a proxy deserialized inside the server, stored in another
 * object, pins it for good), or a name (named objects live as long as the server).
 *   session state:   joined (connections &gt; 0)  --last connection ends--&gt;  gone: its holds are dropped, and
 *                    locks its threads held are released
 * All state is guarded by this table's monitor; calls on the objects themselves run outside it.
 * </pre>
 */
public final class ObjectTable {
    /** One held object. */
    public static final class Entry {
        final int id;
        final Object object;
        final Class<?> type;
        final boolean builtin;
        int holders;
        boolean permanent;

        Entry(int id, Object object, Class<?> type, boolean builtin) {
            this.id = id;
            this.object = object;
            this.type = type;
            this.builtin = builtin;
        }

        /** @return the object's id */
        public int id() {
            return id;
        }

        /** @return the object */
        public Object object() {
            return object;
        }

        /** @return the interface its proxies implement */
        public Class<?> type() {
            return type;
        }
    }

    private static final class SessionState {
        int connections;
        final Map<Integer, Integer> held = new HashMap<>();
    }

    private final Map<Integer, Entry> byId = new HashMap<>();
    private final Map<String, Entry> named = new HashMap<>();
    private final Map<Long, SessionState> sessions = new HashMap<>();
    private int nextId = 1;

    /**
     * Adds an object, held by nobody yet.
     *
     * @param object the object
     * @param type the interface of its proxies
     * @param builtin whether it is of a built-in kind (its proxied results follow {@link Kinds#proxied})
     * @return its entry
     */
    public synchronized Entry add(Object object, Class<?> type, boolean builtin) {
        Entry e = new Entry(nextId++, object, type, builtin);
        byId.put(e.id, e);
        return e;
    }

    /**
     * The object of a name, made on first use; it lives as long as the server.
     *
     * @param key the kind and name
     * @param make makes the entry (through {@link #add})
     * @return its entry
     */
    public synchronized Entry named(String key, Supplier<Entry> make) {
        Entry e = named.get(key);
        if (e == null) {
            e = make.get();
            e.permanent = true;
            named.put(key, e);
        }
        return e;
    }

    /**
     * @param id an id
     * @return its entry
     * @throws IllegalArgumentException if no object has that id (any more)
     */
    public synchronized Entry get(int id) {
        Entry e = byId.get(id);
        if (e == null) {
            throw new IllegalArgumentException("no such object on the manager: id=" + id
                    + " (it was released when every process holding it had let go)");
        }
        return e;
    }

    /** Counts one more reference of a session to an object. @param session the session @param id the object */
    public synchronized void hold(long session, int id) {
        Entry e = get(id);
        SessionState s = sessions.computeIfAbsent(session, k -> new SessionState());
        if (s.held.merge(id, 1, Integer::sum) == 1) {
            e.holders++;
        }
    }

    /**
     * A session lets go of references; at none left it stops holding the object, which goes if nobody else does.
     *
     * @param session the session
     * @param id the object
     * @param count how many references
     */
    public synchronized void release(long session, int id, int count) {
        SessionState s = sessions.get(session);
        Integer n = s == null ? null : s.held.get(id);
        if (n == null) {
            return;
        }
        if (n - count > 0) {
            s.held.put(id, n - count);
            return;
        }
        s.held.remove(id);
        Entry e = byId.get(id);
        if (e != null && --e.holders <= 0 && !e.permanent) {
            byId.remove(id);
        }
    }

    /** Keeps an object for good (a proxy of it is stored inside the server). @param id the object */
    public synchronized void pin(int id) {
        Entry e = byId.get(id);
        if (e != null) {
            e.permanent = true;
        }
    }

    /** A connection of a session begins. @param session the session */
    public synchronized void join(long session) {
        sessions.computeIfAbsent(session, k -> new SessionState()).connections++;
    }

    /**
     * A connection of a session ends; after its last, the session's holds are dropped, objects nobody else holds
     * are removed, and locks its threads held are released.
     *
     * @param session the session
     */
    public void leave(long session) {
        java.util.List<Object> locks = new java.util.ArrayList<>();
        synchronized (this) {
            SessionState s = sessions.get(session);
            if (s == null || --s.connections > 0) {
                return;
            }
            sessions.remove(session);
            for (int id : s.held.keySet()) {
                Entry e = byId.get(id);
                if (e != null && --e.holders <= 0 && !e.permanent) {
                    byId.remove(id);
                }
            }
            for (Entry e : byId.values()) {
                if (e.object instanceof ServedLock || e.object instanceof ServedCondition) {
                    locks.add(e.object);
                }
            }
        }
        for (Object l : locks) {
            (l instanceof ServedLock ? (ServedLock) l : ((ServedCondition) l).lockOf()).releaseSession(session);
        }
    }

    /** @return how many objects are held (for tests and toString) */
    public synchronized int size() {
        return byId.size();
    }
}
