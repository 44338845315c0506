package dev.switchboard.core.quota;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;

/**
 * Counts tokens as OpenAI's tiktoken does: {@code o200k_base} for the GPT-4o, GPT-4.1, GPT-5 and o-series
 * families, {@code cl100k_base} for every other model (an approximation for other vendors' models, used only when
 * the upstream reports no usage, and for estimates). Encodings load lazily, once. Very long texts are counted on
 * their first {@value #EXACT_CHARS} characters and extrapolated, so an estimate never costs more than that.
 */
public final class Tokenizer {

    static final int EXACT_CHARS = 200_000;

    private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();

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
        if (text == null || text.isEmpty()) {
            return 0;
        }
        Encoding enc = registry.getEncoding(encodingFor(model));
        if (text.length() <= EXACT_CHARS) {
            return enc.countTokens(text);
        }
        long head = enc.countTokens(text.substring(0, EXACT_CHARS));
        return (long) Math.ceil((double) head * text.length() / EXACT_CHARS);
    }
}
