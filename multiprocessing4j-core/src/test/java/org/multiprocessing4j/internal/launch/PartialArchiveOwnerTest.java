package org.multiprocessing4j.internal.launch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A partial class-data-sharing archive is named after the JVM that trains it ({@code KEY.jsa.PID.tmp}); once that
 * process is gone, the next training deletes it instead of waiting an hour.
 */
class PartialArchiveOwnerTest {
    @Test
    void aPartialOfALiveProcessIsKeptAndOneOfAProcessThatEndedIsNot() throws Exception {
        long self = ProcessHandle.current().pid();
        assertTrue(ClassDataSharing.ownerAlive("0123abcd.jsa." + self + ".tmp"));
        assertTrue(ClassDataSharing.ownerAlive("0123abcd.aot." + self + ".tmp"));
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        assertFalse(ClassDataSharing.ownerAlive("0123abcd.jsa." + ended.pid() + ".tmp"));
    }

    @Test
    void aNameWithoutAPidCountsAsAbandoned() {
        assertFalse(ClassDataSharing.ownerAlive("0123abcd.jsa.tmp"));
        assertFalse(ClassDataSharing.ownerAlive("0123abcd.jsa.notapid.tmp"));
    }
}
