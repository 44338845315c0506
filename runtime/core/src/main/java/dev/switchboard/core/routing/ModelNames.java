package dev.switchboard.core.routing;

import java.util.List;

/**
 * The model entries of a channel: exact names, and prefix patterns ending in {@code *} ({@code qwen-*} serves
 * every model whose name starts with {@code qwen-}; a lone {@code *} serves every model). Patterns never appear
 * in model lists: a gateway cannot know which names an upstream accepts, so it invents none.
 */
public final class ModelNames {

    private ModelNames() {
    }

    /** @param entry a channel's model entry @return whether it is a prefix pattern such as {@code qwen-*} */
    public static boolean isPattern(String entry) {
        return entry.endsWith("*");
    }

    /**
     * @param entries a channel's model entries
     * @param model the model a client asked for
     * @return whether one of the entries names it exactly or by prefix
     */
    public static boolean serves(List<String> entries, String model) {
        for (int i = 0, n = entries.size(); i < n; i++) {
            if (matches(entries.get(i), model)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param entry a channel's model entry
     * @param model a model name
     * @return whether the entry names the model exactly or by prefix
     */
    public static boolean matches(String entry, String model) {
        int last = entry.length() - 1;
        if (last >= 0 && entry.charAt(last) == '*') {
            return model.length() >= last && model.regionMatches(0, entry, 0, last);
        }
        return entry.equals(model);
    }

    /** @param entries a channel's model entries @return the exact names among them, in order */
    public static List<String> exact(List<String> entries) {
        return entries.stream().filter(e -> !isPattern(e)).toList();
    }
}
