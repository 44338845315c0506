package dev.switchboard.core.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Generation and hashing of relay token keys and the admin token. */
public final class TokenKeys {

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Never updated, only cloned: a clone skips the provider lookup of {@code MessageDigest.getInstance} on every
     * relayed request (the token lookup is on the hot path).
     */
    private static final MessageDigest SHA_256 = sha256();
    private static final HexFormat HEX = HexFormat.of();

    private TokenKeys() {
    }

    /**
     * @param prefix e.g. {@code sk-}
     * @return the prefix and 48 random base-62 characters (about 285 bits)
     */
    public static String generate(String prefix) {
        StringBuilder sb = new StringBuilder(prefix.length() + 48).append(prefix);
        for (int i = 0; i < 48; i++) {
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    /**
     * @param key a key
     * @return hex SHA-256 of its UTF-8 bytes
     */
    public static String hash(String key) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            digest = sha256();
        }
        return HEX.formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
