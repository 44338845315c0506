package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Vendor keys and token keys never reach the data folder in clear. */
class VendorKeyAtRestTest extends AdminApiTest {

    private static final String PLAIN = "sk-PlainVendorKey-0123456789-abcdef";

    @Test
    void theStoreFilesHoldNoPlainVendorKey() throws IOException {
        createChannel("{'name':'Findable Channel Name','type':'openai','key':'" + PLAIN + "'}");
        long id = createChannel("{'name':'second','type':'qwen','key':'" + VENDOR_KEY + "'}").path("id").asLong();
        api.put("/api/channels/" + id, json("{'key':'" + PLAIN + "-rotated'}"));
        api.close();

        String files = allDataBytes();
        assertTrue(files.contains("Findable Channel Name"), "the test reads the files the store wrote");
        assertFalse(files.contains(PLAIN), "a vendor key is in the data folder in clear");
        assertFalse(files.contains(VENDOR_KEY), "a vendor key is in the data folder in clear");
        assertFalse(files.contains("PlainVendorKey"), "part of a vendor key is in the data folder in clear");
    }

    @Test
    void theStoreFilesHoldNoRelayTokenKey() throws IOException {
        String key = api.post("/api/tokens", json("{'name':'Findable Token Name'}")).json().path("key").asText();
        api.close();
        String files = allDataBytes();
        assertTrue(files.contains("Findable Token Name"));
        assertFalse(files.contains(key.substring(3)), "a token key is in the data folder in clear");
    }

    @Test
    void theAdminTokenIsNotStoredInClear() throws IOException {
        api.close();
        assertFalse(allDataBytes().contains(dev.switchboard.core.testkit.AdminApiServer.ADMIN_TOKEN));
    }

    private String allDataBytes() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).append('\n');
            }
        }
        return all.toString();
    }
}
