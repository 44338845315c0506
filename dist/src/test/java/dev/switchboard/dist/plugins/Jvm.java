package dev.switchboard.dist.plugins;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a running gateway's JVM holds, read with {@code jcmd} as an operator would: live threads, heap in use after
 * a full GC, and the OSGi bundle class loaders still alive (a removed plugin's loader that stays is a leak).
 */
final class Jvm {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final long pid;

    Jvm(long pid) {
        this.pid = pid;
    }

    /** Two full collections, so what is only weakly or softly reachable from old loaders has gone. */
    void gc() {
        jcmd("GC.run");
        jcmd("GC.run");
    }

    /** @return the process's live threads */
    int threads() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring("Threads:".length()).trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no thread count for " + pid);
    }

    /** @return the heap in use, in KiB */
    long heapUsedKb() {
        Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!m.find()) {
            throw new IllegalStateException("no heap figure from jcmd");
        }
        return Long.parseLong(m.group(1));
    }

    /** @return how many Felix bundle class loaders are alive (one per resolved bundle revision) */
    long bundleLoaders() {
        return jcmd("VM.classloader_stats").lines().filter(l -> l.contains("BundleClassLoader")).count();
    }

    private String jcmd(String command) {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("jcmd " + command + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
