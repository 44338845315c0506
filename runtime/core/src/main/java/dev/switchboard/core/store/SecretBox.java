package dev.switchboard.core.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts vendor keys at rest with AES-256-GCM. The key comes from the {@code secret_key} setting (base64 of 32
 * bytes, or any passphrase, which is hashed to 32 bytes) or, when unset, from a key file in the data folder,
 * generated on first use and readable by its owner only.
 */
public final class SecretBox {

    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    private SecretBox(byte[] keyBytes) {
        this.key = new SecretKeySpec(keyBytes, "AES");
    }

    /**
     * @param configured the {@code secret_key} setting, if set
     * @param keyFile where the generated key lives otherwise
     * @return a box with the configured or stored key
     */
    public static SecretBox open(Optional<String> configured, Path keyFile) {
        if (configured.isPresent()) {
            return new SecretBox(fromSetting(configured.get().trim()));
        }
        try {
            if (Files.exists(keyFile)) {
                return new SecretBox(Base64.getDecoder().decode(Files.readString(keyFile).trim()));
            }
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            Files.createDirectories(keyFile.toAbsolutePath().getParent());
            Path tmp = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, Base64.getEncoder().encodeToString(fresh) + "\n");
            Files.move(tmp, keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new SecretBox(fresh);
        } catch (IOException | IllegalArgumentException e) {
            throw new StoreException("cannot read or create the key file " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static byte[] fromSetting(String value) {
        try {
            byte[] raw = Base64.getDecoder().decode(value);
            if (raw.length == 32) {
                return raw;
            }
        } catch (IllegalArgumentException notBase64) {
            // A passphrase: hashed below.
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param plain a secret
     * @return its ciphertext, {@code v1:} + base64 of IV and sealed bytes
     */
    public String seal(String plain) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /**
     * @param cipherText what {@link #seal} returned
     * @return the secret
     * @throws StoreException when the text was sealed with another key or is damaged
     */
    public String open(String cipherText) {
        if (cipherText == null || !cipherText.startsWith(PREFIX)) {
            throw new StoreException("not a sealed secret", null);
        }
        try {
            byte[] in = Base64.getDecoder().decode(cipherText.substring(PREFIX.length()));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            return new String(c.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new StoreException("a stored secret cannot be decrypted with this secret_key", e);
        }
    }
}
