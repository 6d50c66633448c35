package org.multiprocessing4j.internal.manager;

import java.util.List;

/**
 * What a client asks of a manager's server: one request per frame, one {@link Reply} back (docs in
 * {@link RequestCodec}).
 */
public sealed interface Request {
    /**
     * Calls a method of a held object.
     *
     * @param object the object's id
     * @param method the method's index in the {@link MethodTable} of the object's interface
     * @param thread the calling client thread's id (the holder's identity for locks)
     * @param args the arguments (serializable)
     */
    record Call(int object, int method, long thread, Object[] args) implements Request {
    }

    /**
     * Makes a new object of a kind ({@link Kinds}) or registered interface; the reply is its proxy.
     *
     * @param type the kind or the interface's name
     * @param args the factory's arguments
     */
    record Create(String type, Object[] args) implements Request {
    }

    /**
     * The object of a name, made on first use; the reply is its proxy.
     *
     * @param type the kind
     * @param name the name
     */
    record Named(String type, String name) implements Request {
    }

    /**
     * Counts the caller's session as a holder of an object it received from elsewhere.
     *
     * @param object the object's id
     */
    record Adopt(int object) implements Request {
    }

    /**
     * The caller's session lets go of {@code count} of the references it received to an object: the proxies made
     * from them have all been garbage-collected.
     *
     * @param object the object's id
     * @param count how many references
     */
    record Release(int object, int count) implements Request {
    }

    /**
     * Runs calls in order in one round trip; the reply is the list of their results.
     *
     * @param calls the calls
     */
    record Batch(List<Call> calls) implements Request {
    }

    /** Ends the server (a started or served manager's {@code close()}). */
    record Shutdown() implements Request {
    }
}
