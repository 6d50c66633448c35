package org.multiprocessing4j.internal.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime directories: each JVM's is in its user's directory, which is used only if it is a private directory
 * of this user's (else the temp directory itself is the base, as a name that someone else could have made first).
 */
class RuntimeDirTest {
    @TempDir
    Path tmp;

    @Test
    void thisJvmsDirectoryIsInTheUsersPrivateDirectory() throws IOException {
        Path own = RuntimeDir.get().path();
        Path base = own.getParent();
        assertEquals(RuntimeDir.baseDirectory(), base);
        RuntimeDir.Owner me = RuntimeDir.Owner.current();
        assertEquals(RuntimeDir.USER_PREFIX + me.uid(), base.getFileName().toString());
        assertTrue(RuntimeDir.isPrivateDirectoryOf(base, me.principal()), base + " is not this user's with mode 0700");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(own)));
        String prefix = "mp4j-" + ProcessHandle.current().pid() + "-";
        assertTrue(own.getFileName().toString().startsWith(prefix), own::toString);
        assertEquals(base.getParent(), RuntimeDir.otherBaseDirectory());
    }

    private Path usersDirectory() {
        return tmp.resolve(RuntimeDir.USER_PREFIX + RuntimeDir.Owner.current().key());
    }

    @Test
    void theOwnerIsWhoMakesFiles() throws IOException {
        RuntimeDir.Owner me = RuntimeDir.Owner.current();
        Path mine = Files.createFile(tmp.resolve("mine"));
        assertEquals(Files.getOwner(mine), me.principal());
        assertEquals(Files.getAttribute(mine, "unix:uid"), me.uid());
        assertEquals(String.valueOf(me.uid()), me.key());
    }

    @Test
    void aMissingUsersDirectoryIsMadePrivate() throws IOException {
        Path made = RuntimeDir.userBase(tmp);
        assertEquals(usersDirectory(), made);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
        assertEquals(made, RuntimeDir.userBase(tmp), "made before: used again");
    }

    @Test
    void aUsersDirectoryThatOthersCanEnterIsNotUsed() throws IOException {
        Path dir = Files.createDirectory(usersDirectory(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertFalse(RuntimeDir.isPrivateDirectoryOf(dir, RuntimeDir.Owner.current().principal()));
        assertEquals(tmp, RuntimeDir.userBase(tmp), "falls back to the temp directory itself");
    }

    @Test
    void aLinkInPlaceOfTheUsersDirectoryIsNotFollowed() throws IOException {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path link = Files.createSymbolicLink(usersDirectory(), elsewhere);
        assertTrue(Files.isDirectory(link), "a link to a private directory of this user's");
        assertFalse(RuntimeDir.isPrivateDirectoryOf(link, RuntimeDir.Owner.current().principal()));
        assertEquals(tmp, RuntimeDir.userBase(tmp));
    }

    @Test
    void aUsersDirectoryThatIsAFileIsNotUsed() throws IOException {
        Files.createFile(usersDirectory());
        assertEquals(tmp, RuntimeDir.userBase(tmp));
    }

    @Test
    void userNamesAreKeptToSafeCharacters() {
        String saved = System.getProperty("user.name");
        try {
            System.setProperty("user.name", "a-b/../c d\u00e9" + "x".repeat(40));
            String name = RuntimeDir.userName();
            assertTrue(name.matches("[A-Za-z0-9_.]{1,24}"), name);
            assertTrue(name.startsWith("a_b_.._c_d_"), name);
            System.setProperty("user.name", "");
            assertEquals("_", RuntimeDir.userName());
        } finally {
            System.setProperty("user.name", saved);
        }
    }

    @Test
    void listingKeepsTheEntriesWithThePrefix() throws IOException {
        for (String n : List.of("mp4j-1-2-3", "mp4j-10-2-3", "other", "xmp4j-1-")) {
            Files.createFile(tmp.resolve(n));
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> s = RuntimeDir.list(tmp, "mp4j-1-")) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        assertEquals(List.of("mp4j-1-2-3"), names);
    }
}
