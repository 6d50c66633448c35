package org.multiprocessing4j.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SelfPidTest {
    @Test
    void itIsThePidTheJdkKnows() {
        assertEquals(ProcessHandle.current().pid(), SelfPid.get());
    }
}
