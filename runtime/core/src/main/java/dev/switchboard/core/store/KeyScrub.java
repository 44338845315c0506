package dev.switchboard.core.store;

import java.util.regex.Pattern;

/**
 * Removes a vendor key from text that came from the vendor (an error message that echoes the key it refused),
 * before the text reaches a client, a log line or a channel's status reason.
 */
public final class KeyScrub {

    private static final Pattern PARTS = Pattern.compile("[|]");
    private static final int MIN_SECRET = 8;

    private KeyScrub() {
    }

    /**
     * @param text vendor text, possibly {@code null}
     * @param key the channel's key; composite keys ({@code API_KEY|SECRET_KEY}) are scrubbed part by part
     * @return the text with every occurrence of the key (or a part of 8+ characters) replaced by its mask
     */
    public static String scrub(String text, String key) {
        if (text == null || key == null || key.isEmpty()) {
            return text;
        }
        String out = text.replace(key, KeyMask.mask(key));
        for (String part : PARTS.split(key)) {
            if (part.length() >= MIN_SECRET) {
                out = out.replace(part, KeyMask.mask(part));
            }
        }
        return out;
    }
}
