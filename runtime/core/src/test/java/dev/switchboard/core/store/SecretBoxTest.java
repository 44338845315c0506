package dev.switchboard.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vendor keys sealed with AES-GCM under the configured secret_key or a generated key file. */
class SecretBoxTest {

    private static final String VENDOR_KEY = "sk-proj-Abc123Def456Ghi789Jkl012";

    @TempDir
    Path dir;

    @Test
    void sealThenOpenGivesTheKeyBack() {
        SecretBox box = SecretBox.open(Optional.empty(), dir.resolve("secret.key"));
        assertEquals(VENDOR_KEY, box.open(box.seal(VENDOR_KEY)));
        assertEquals("", box.open(box.seal("")));
        assertEquals("密钥|SECRET", box.open(box.seal("密钥|SECRET")));
    }

    @Test
    void theCiphertextDoesNotShowTheKey() {
        SecretBox box = SecretBox.open(Optional.empty(), dir.resolve("secret.key"));
        String sealed = box.seal(VENDOR_KEY);
        assertFalse(sealed.contains(VENDOR_KEY));
        assertFalse(sealed.contains("Abc123"));
        assertTrue(sealed.startsWith("v1:"), sealed);
        assertNotEquals(sealed, box.seal(VENDOR_KEY), "each seal uses a fresh IV");
    }

    @Test
    void anotherSecretKeyCannotOpenIt() {
        SecretBox mine = SecretBox.open(Optional.of("my passphrase, long enough"), dir.resolve("unused.key"));
        SecretBox theirs = SecretBox.open(Optional.of("another passphrase"), dir.resolve("unused.key"));
        String sealed = mine.seal(VENDOR_KEY);
        StoreException e = assertThrows(StoreException.class, () -> theirs.open(sealed));
        assertTrue(e.getMessage().contains("secret_key"), e.getMessage());
    }

    @Test
    void damagedOrForeignTextIsRefused() {
        SecretBox box = SecretBox.open(Optional.empty(), dir.resolve("secret.key"));
        String sealed = box.seal(VENDOR_KEY);
        char last = sealed.charAt(sealed.length() - 3);
        String damaged = sealed.substring(0, sealed.length() - 3) + (last == 'A' ? 'B' : 'A')
                + sealed.substring(sealed.length() - 2);
        assertThrows(StoreException.class, () -> box.open(damaged));
        assertThrows(StoreException.class, () -> box.open(VENDOR_KEY));
        assertThrows(StoreException.class, () -> box.open(null));
    }

    @Test
    void theKeyFileIsGeneratedForItsOwnerOnly() throws IOException {
        Path keyFile = dir.resolve("data/secret.key");
        SecretBox.open(Optional.empty(), keyFile);
        assertTrue(Files.isRegularFile(keyFile));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertEquals(32, Base64.getDecoder().decode(Files.readString(keyFile).trim()).length);
    }

    @Test
    void theKeyFileIsReusedOnReopen() throws IOException {
        Path keyFile = dir.resolve("secret.key");
        String sealed = SecretBox.open(Optional.empty(), keyFile).seal(VENDOR_KEY);
        String before = Files.readString(keyFile);
        SecretBox again = SecretBox.open(Optional.empty(), keyFile);
        assertEquals(VENDOR_KEY, again.open(sealed));
        assertEquals(before, Files.readString(keyFile));
    }

    @Test
    void aBase64SecretKeyOf32BytesIsUsedAsTheKeyItself() throws IOException {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String base64 = Base64.getEncoder().encodeToString(raw);
        // A key file holding the same bytes must be interchangeable with the setting.
        Path keyFile = dir.resolve("secret.key");
        Files.writeString(keyFile, base64 + "\n");
        SecretBox fromSetting = SecretBox.open(Optional.of(base64), dir.resolve("unused.key"));
        SecretBox fromFile = SecretBox.open(Optional.empty(), keyFile);
        assertEquals(VENDOR_KEY, fromFile.open(fromSetting.seal(VENDOR_KEY)));
        assertEquals(VENDOR_KEY, fromSetting.open(fromFile.seal(VENDOR_KEY)));
        assertFalse(Files.exists(dir.resolve("unused.key")), "a configured key never writes a key file");
    }

    @Test
    void aPassphraseWorksAndTheSamePassphraseOpensItLater() {
        String sealed = SecretBox.open(Optional.of("correct horse battery staple"), dir.resolve("unused.key"))
                .seal(VENDOR_KEY);
        SecretBox later = SecretBox.open(Optional.of("correct horse battery staple"), dir.resolve("unused.key"));
        assertEquals(VENDOR_KEY, later.open(sealed));
        assertFalse(Files.exists(dir.resolve("unused.key")));
    }

    @Test
    void anUnreadableKeyFileIsAStoreExceptionNamingIt() throws IOException {
        Path keyFile = dir.resolve("secret.key");
        Files.writeString(keyFile, "this is not base64!\n");
        StoreException e = assertThrows(StoreException.class, () -> SecretBox.open(Optional.empty(), keyFile));
        assertTrue(e.getMessage().contains(keyFile.toString()), e.getMessage());
    }
}
