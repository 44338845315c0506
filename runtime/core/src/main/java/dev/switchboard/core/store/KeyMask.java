package dev.switchboard.core.store;

/** How keys appear in answers: enough to recognise one ({@code sk-ab...wxyz}), never enough to use it. */
public final class KeyMask {

    private KeyMask() {
    }

    /**
     * @param key a vendor key or relay token
     * @return the first five and last four characters around {@code ...}, or {@code ***} for short keys
     */
    public static String mask(String key) {
        if (key == null || key.length() < 16) {
            return "***";
        }
        return key.substring(0, 5) + "..." + key.substring(key.length() - 4);
    }
}
