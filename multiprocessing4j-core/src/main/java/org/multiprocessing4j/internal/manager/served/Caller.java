package org.multiprocessing4j.internal.manager.served;

/**
 * Who is calling, as the server's connection thread set it for the call it runs: the client session and the
 * client thread. Owner-aware objects ({@link ServedLock}) use it as the holder's identity.
 *
 * @param session the client session's id
 * @param thread the client thread's id
 */
public record Caller(long session, long thread) {
    private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

    /** @return the caller of the call running in this thread, or a caller unique to this thread outside calls */
    public static Caller current() {
        Caller c = CURRENT.get();
        return c != null ? c : new Caller(0, Thread.currentThread().getId());
    }

    /**
     * Sets the caller of this thread's next calls.
     *
     * @param caller the caller, or {@code null} to clear
     */
    public static void set(Caller caller) {
        if (caller == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(caller);
        }
    }
}
