package dev.switchboard.dist;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The test plugins the end-to-end tests deploy, and variants of them: the same classes under another symbolic
 * name, version or service ranking, as a second plugin or a plugin's next release would be.
 */
public final class PluginJars {

    private PluginJars() {
    }

    /** @return the built faulty plugin (test-plugins/faulty), see its {@code FaultyAdapter} */
    public static Path faulty() {
        Path jar = Path.of(System.getProperty("switchboard.faulty.jar", "missing"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the faulty test plugin is not built: " + jar);
        }
        return jar;
    }

    /**
     * @param jar a bundle
     * @return its {@code Bundle-SymbolicName} and {@code Bundle-Version}, as the gateway shows them
     */
    public static String[] identity(Path jar) {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Attributes a = in.getManifest().getMainAttributes();
            return new String[] {a.getValue("Bundle-SymbolicName"), a.getValue("Bundle-Version")};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a variant of a bundle: the same classes with another identity and, if given, a
     * {@code service.ranking} on its Declarative Services components.
     *
     * @param jar the bundle
     * @param target where to write the variant
     * @param symbolicName its symbolic name
     * @param version its version
     * @param ranking its services' ranking, or null to leave them unranked
     * @return target
     */
    public static Path variant(Path jar, Path target, String symbolicName, String version, Integer ranking) {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest m = new Manifest(in.getManifest());
            m.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
            m.getMainAttributes().putValue("Bundle-Version", version);
            try (OutputStream file = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(file, m)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    byte[] bytes = in.readAllBytes();
                    if (ranking != null && e.getName().startsWith("OSGI-INF/") && e.getName().endsWith(".xml")) {
                        bytes = new String(bytes, StandardCharsets.UTF_8).replace("<service>",
                                "<property name=\"service.ranking\" type=\"Integer\" value=\"" + ranking
                                        + "\"/>\n  <service>").getBytes(StandardCharsets.UTF_8);
                    }
                    out.write(bytes);
                    out.closeEntry();
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Puts a jar into a plugins folder as a careful operator would: written next to it under a name FileInstall
     * ignores, then renamed, so it is never seen half-written.
     *
     * @param jar the jar
     * @param pluginsDir the plugins folder
     * @param name the file name in it
     * @return the jar's path in the folder
     */
    public static Path deploy(Path jar, Path pluginsDir, String name) {
        try {
            Path tmp = pluginsDir.resolve("." + name + ".part");
            Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
            return Files.move(tmp, pluginsDir.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
