package dev.switchboard.launcher;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class-data archive later starts map instead of loading and verifying some 5,000 classes again (JDK 17's
 * dynamic CDS archive; about a fifth of the start on 2 cores).
 *
 * <p>{@code bin/switchboard} asks for one when this installation and JVM have none yet: it starts the JVM with
 * {@code -XX:+RecordDynamicDumpInfo} and names the file in {@value #PROPERTY}. The archive is written after a clean
 * stop, when the classes the relay uses are loaded, to a temporary file that is then moved into place, so a start
 * never maps a half-written archive (a JVM option that dumps at exit would write the final file in place).
 */
final class ClassArchive {

    static final String PROPERTY = "switchboard.cds.archive";
    private static final Logger LOG = LoggerFactory.getLogger(ClassArchive.class);

    private ClassArchive() {
    }

    /** Writes the archive if {@code bin/switchboard} asked for one; a failure is reported, never thrown. */
    static void writeIfAsked() {
        String target = System.getProperty(PROPERTY, "");
        if (!target.isBlank()) {
            write(Path.of(target).toAbsolutePath());
        }
    }

    /**
     * @param file where the archive goes
     * @return whether it was written
     */
    static boolean write(Path file) {
        Path partial = file.resolveSibling(file.getFileName() + ".partial-" + ProcessHandle.current().pid());
        long started = System.nanoTime();
        try {
            // The jcmd command VM.cds, through its MBean: the JVM writes the archive and answers with its report.
            Object report = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmCds",
                    new Object[] {new String[] {"dynamic_dump", partial.toString()}},
                    new String[] {String[].class.getName()});
            if (!Files.isRegularFile(partial) || Files.size(partial) == 0) {
                LOG.info("no class-data archive for faster starts: {}",
                        String.valueOf(report).strip().replaceAll("\\s+", " "));
                return false;
            }
            if (!mapsCleanly(partial)) {
                LOG.info("no class-data archive for faster starts: a JVM could not map the one written");
                return false;
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.info("class-data archive for faster starts written to {} ({} MiB in {} ms)", file,
                    Files.size(file) >> 20, (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (JMException | IOException | RuntimeException e) {
            LOG.info("no class-data archive for faster starts: {}", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                LOG.debug("cannot delete {}: {}", partial, e.toString());
            }
        }
    }

    /**
     * A JDK 17 JVM given a cut archive crashes as it starts, whatever the options; so a new archive is first tried
     * by a short-lived JVM of the same installation.
     */
    private static boolean mapsCleanly(Path archive) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(null);
        if (java == null) {
            return false;
        }
        Path crashReport = archive.resolveSibling(archive.getFileName() + ".crash");
        try {
            Process p = new ProcessBuilder(java, "-XX:SharedArchiveFile=" + archive, "-Xlog:disable",
                    "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=" + crashReport, "-version")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } finally {
            Files.deleteIfExists(crashReport);
        }
    }
}
