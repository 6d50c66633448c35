package org.multiprocessing4j.internal;

import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.function.SerializableRunnable;

/**
 * The door through which the child side of the library ({@code internal.child}) reaches what the public package
 * keeps package-private. {@code ChildProcess}'s static initializer installs the one instance.
 */
public abstract class ProcessAccess {
    private static volatile ProcessAccess instance;

    /**
     * Installs the instance; called once by the public package.
     *
     * @param access the instance
     */
    public static void install(ProcessAccess access) {
        instance = access;
    }

    /** @return the instance, initializing {@code ChildProcess} if need be */
    public static ProcessAccess get() {
        if (instance == null) {
            try {
                Class.forName(ChildProcess.class.getName(), true, ChildProcess.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("ChildProcess is missing from the class path", e);
            }
        }
        return instance;
    }

    /**
     * Names this JVM's process before its object is deserialized: a stand-in with the process's name, daemon flag
     * and auth key is the current process while the task's classes initialize.
     *
     * @param name the process's name
     * @param daemon whether it is a daemon
     * @param authKey its auth key
     * @param parentName the parent's name
     * @param parentPid the parent's pid
     */
    public abstract void preset(String name, boolean daemon, byte[] authKey, String parentName, long parentPid);

    /**
     * Makes a deserialized process the current process of this JVM, with its parent.
     *
     * @param process the process this JVM runs
     * @param parentName the parent's name
     * @param parentPid the parent's pid
     */
    public abstract void becomeCurrent(ChildProcess process, String parentName, long parentPid);

    /**
     * Encodes a process for a child: as a {@code ProcessForm} when it is a plain process with a lambda target, else
     * through {@code JdkCodec}.
     *
     * @param process the process
     * @return its encoding
     * @throws java.io.IOException if it cannot be serialized
     */
    public abstract byte[] encode(ChildProcess process) throws java.io.IOException;

    /**
     * Decodes what {@link #encode} made.
     *
     * @param bytes the encoding
     * @param loader the loader of the task's classes
     * @return the process
     * @throws java.io.IOException if it is corrupt or its classes cannot be found or made
     */
    public abstract ChildProcess decode(byte[] bytes, ClassLoader loader) throws java.io.IOException;

    /**
     * Makes a process object that takes no number from this process's count of children (its name stays free), for
     * encoding only: the warm-up probe that a parent hands to its spawned children.
     *
     * @param target the task
     * @param name the name
     * @return a process that is never started
     */
    public abstract ChildProcess probe(SerializableRunnable target, String name);
}
