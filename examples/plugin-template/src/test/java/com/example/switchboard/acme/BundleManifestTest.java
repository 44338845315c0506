package com.example.switchboard.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/**
 * What bnd wrote (bnd-process runs before the tests): the api import range a plugin gets, the DS component,
 * no exports. If this fails after an api upgrade, read "Versions" in the plugin guide.
 */
class BundleManifestTest {

    private static Manifest manifest() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/MANIFEST.MF"))) {
            return new Manifest(in);
        }
    }

    @Test
    void importsTheApiFromItsMajorVersionOn() throws Exception {
        String imports = manifest().getMainAttributes().getValue("Import-Package");
        assertTrue(imports.contains("dev.switchboard.api.provider;version=\"[1.0,2)\""), imports);
    }

    @Test
    void registersTheAdapterThroughDeclarativeServicesAndExportsNothing() throws Exception {
        var main = manifest().getMainAttributes();
        assertEquals("com.example.switchboard.acme", main.getValue("Bundle-SymbolicName"));
        assertEquals("OSGI-INF/com.example.switchboard.acme.AcmeAdapter.xml", main.getValue("Service-Component"));
        assertTrue(Files.exists(Path.of("target/classes/OSGI-INF/com.example.switchboard.acme.AcmeAdapter.xml")));
        assertNull(main.getValue("Export-Package"));
    }
}
