package org.multiprocessing4j.internal;

import org.multiprocessing4j.ChildProcess;

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
     * Makes a deserialized process the current process of this JVM, with its parent.
     *
     * @param process the process this JVM runs
     * @param parentName the parent's name
     * @param parentPid the parent's pid
     */
    public abstract void becomeCurrent(ChildProcess process, String parentName, long parentPid);
}
