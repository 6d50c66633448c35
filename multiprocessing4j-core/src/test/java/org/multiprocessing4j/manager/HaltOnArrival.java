package org.multiprocessing4j.manager;

import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * A fault fixture: a value that halts the JVM that deserializes it with exit code 3. Captured by a registered
 * factory, it ends a manager's server process while it decodes its task, before it serves anyone.
 */
final class HaltOnArrival implements Serializable {
    private static final long serialVersionUID = 1L;

    private void readObject(ObjectInputStream in) {
        Runtime.getRuntime().halt(3);
    }
}
