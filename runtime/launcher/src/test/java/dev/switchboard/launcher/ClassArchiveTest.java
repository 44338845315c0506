package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassArchiveTest {

    @TempDir
    Path tmp;

    @Test
    void aJvmNotRecordingForAnArchiveWritesNoneAndLeavesNothingBehind() throws IOException {
        // The test JVM runs without -XX:+RecordDynamicDumpInfo, as a gateway started with SWITCHBOARD_CDS=off would.
        assertFalse(ClassArchive.write(tmp.resolve("classes-1.jsa")));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(0, files.count(), "no archive and no partial file");
        }
    }
}
