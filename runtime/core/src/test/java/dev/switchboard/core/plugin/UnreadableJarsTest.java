package dev.switchboard.core.plugin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Half-written, corrupt and non-bundle jars are told apart from bundles, and a completed copy becomes readable. */
class UnreadableJarsTest {

    @TempDir
    Path dir;

    private static byte[] bundle(String symbolicName) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().putValue("Manifest-Version", "1.0");
        if (symbolicName != null) {
            m.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.putNextEntry(new ZipEntry("x/Some.class"));
            jar.write(new byte[4096]);
            jar.closeEntry();
        }
        return out.toByteArray();
    }

    @Test
    void aHalfCopiedJarIsUnreadableUntilTheCopyCompletes() throws Exception {
        byte[] whole = bundle("com.example.p");
        Path jar = dir.resolve("p.jar");
        Files.write(jar, Arrays.copyOf(whole, whole.length / 2));
        UnreadableJars jars = new UnreadableJars(dir);
        assertTrue(jars.unreadable(jar));
        assertTrue(jars.unreadable(jar), "the same version is the same verdict");
        Files.write(jar, whole);
        // A second write within the file system's time granularity still changes the size.
        assertFalse(jars.unreadable(jar));
        jars.scan();
    }

    @Test
    void aZipWithoutASymbolicNameIsNoBundle() throws Exception {
        Path jar = Files.write(dir.resolve("plain.jar"), bundle(null));
        assertTrue(new UnreadableJars(dir).unreadable(jar));
        Path garbage = Files.write(dir.resolve("garbage.jar"), new byte[] {1, 2, 3});
        assertTrue(new UnreadableJars(dir).unreadable(garbage));
    }
}
