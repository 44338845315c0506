package dev.switchboard.core.quota;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts tokens as OpenAI's tiktoken does: {@code o200k_base} for the GPT-4o, GPT-4.1, GPT-5 and o-series
 * families, {@code cl100k_base} for every other model (an approximation for other vendors' models, used only when
 * the upstream reports no usage, and for estimates). Encodings load lazily, once, or up front with {@link #load}.
 * Very long texts are counted on their first {@value #EXACT_CHARS} characters ({@value #ESTIMATE_EXACT_CHARS}
 * for an estimate) and extrapolated, so a count never costs more than that.
 */
public final class Tokenizer {

    static final int EXACT_CHARS = 200_000;
    /**
     * Estimates run on the relay's threads for every request: a long input (a 1 MiB embeddings batch) is counted
     * on its first 32,768 characters and extrapolated, about a millisecond at most.
     */
    static final int ESTIMATE_EXACT_CHARS = 32_768;

    private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
    private final Set<EncodingType> loaded = ConcurrentHashMap.newKeySet();
    private volatile boolean guessUntilLoaded;

    /**
     * Makes {@link #estimate} guess, instead of loading an encoding on the caller's thread, until {@link #load}
     * has run. Loading both encodings takes a second or two of CPU: the gateway does it once it serves, off the
     * request threads, rather than during its start (where it slowed the start on a small machine) or inside
     * the first requests.
     */
    public void guessUntilLoaded() {
        guessUntilLoaded = true;
    }

    /** Loads both encodings now. */
    public void load() {
        count("gpt-4o", "warm up");
        count("gpt-4", "warm up");
    }

    /**
     * A count for an estimate (the quota held before dispatch): the exact count, or, while the encoding is not
     * loaded yet and {@link #guessUntilLoaded()} was asked, a third of the text's UTF-8 bytes, rounded up. That
     * guess is above the real count for English (about 4 bytes per token) and about right for Chinese (3 bytes
     * per character, about 1 token each); the settlement uses the upstream's usage either way.
     *
     * @param model the model, which picks the encoding
     * @param text a text
     * @return its token count, or the guess
     */
    public long estimate(String model, String text) {
        if (guessUntilLoaded && !loaded.contains(encodingFor(model))) {
            return text == null ? 0 : (utf8Length(text) + 2) / 3;
        }
        return count(model, text, ESTIMATE_EXACT_CHARS);
    }

    private static long utf8Length(String text) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    /**
     * @param model a model name
     * @return the encoding used for it
     */
    public EncodingType encodingFor(String model) {
        String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
        int slash = m.lastIndexOf('/');
        if (slash >= 0) {
            m = m.substring(slash + 1);
        }
        boolean o200k = m.startsWith("gpt-4o") || m.startsWith("chatgpt-4o") || m.startsWith("gpt-4.1")
                || m.startsWith("gpt-4.5") || m.startsWith("gpt-5") || m.startsWith("o1") || m.startsWith("o3")
                || m.startsWith("o4") || m.startsWith("gpt-oss") || m.startsWith("omni-");
        return o200k ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE;
    }

    /**
     * @param model the model, which picks the encoding
     * @param text a text
     * @return its token count
     */
    public long count(String model, String text) {
        return count(model, text, EXACT_CHARS);
    }

    private long count(String model, String text, int exactChars) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        EncodingType type = encodingFor(model);
        Encoding enc = registry.getEncoding(type);
        // Loaded now, whoever asked first (the warm-up or a settlement): estimates count from here on.
        loaded.add(type);
        if (text.length() <= exactChars) {
            return enc.countTokens(text);
        }
        long head = enc.countTokens(text.substring(0, exactChars));
        return (long) Math.ceil((double) head * text.length() / exactChars);
    }
}
