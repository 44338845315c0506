package dev.switchboard.core.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.api.EncodingType;
import dev.switchboard.api.provider.Operation;
import dev.switchboard.core.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Token counts against the values OpenAI's tiktoken gives (cookbook examples), and request estimates. */
class TokenizerTest {

    private final Tokenizer tokenizer = new Tokenizer();
    private final Estimator estimator = new Estimator(tokenizer);

    @Test
    void cl100kCountsAsTiktoken() {
        assertEquals(2, tokenizer.count("gpt-4", "hello world"));
        assertEquals(6, tokenizer.count("gpt-4", "tiktoken is great!"));
        assertEquals(6, tokenizer.count("gpt-3.5-turbo", "antidisestablishmentarianism"));
        assertEquals(7, tokenizer.count("gpt-3.5-turbo", "2 + 2 = 4"));
        assertEquals(9, tokenizer.count("gpt-3.5-turbo", "お誕生日おめでとう"));
        assertEquals(0, tokenizer.count("gpt-4", ""));
    }

    @Test
    void o200kCountsAsTiktoken() {
        assertEquals(4, tokenizer.count("gpt-4o", "Hello, world!"));
        assertEquals(2, tokenizer.count("gpt-4o-mini", "hello world"));
        assertEquals(8, tokenizer.count("gpt-4o", "お誕生日おめでとう"), "o200k is denser for Japanese than cl100k");
    }

    @Test
    void theEncodingFollowsTheModelFamily() {
        assertEquals(EncodingType.O200K_BASE, tokenizer.encodingFor("gpt-4o-2024-11-20"));
        assertEquals(EncodingType.O200K_BASE, tokenizer.encodingFor("o3-mini"));
        assertEquals(EncodingType.O200K_BASE, tokenizer.encodingFor("gpt-4.1-nano"));
        assertEquals(EncodingType.CL100K_BASE, tokenizer.encodingFor("gpt-4-turbo"));
        assertEquals(EncodingType.CL100K_BASE, tokenizer.encodingFor("text-embedding-3-small"));
        assertEquals(EncodingType.CL100K_BASE, tokenizer.encodingFor("qwen-max"));
        assertEquals(EncodingType.CL100K_BASE, tokenizer.encodingFor(null));
    }

    @Test
    void longTextsAreExtrapolatedFromTheirHead() {
        String text = "hello world ".repeat(Tokenizer.EXACT_CHARS / 12 * 3);
        long n = tokenizer.count("gpt-4", text);
        assertEquals(text.length() / 12.0 * 2, n, text.length() / 12.0 * 0.01);
    }

    static JsonNode json(String singleQuoted) throws Exception {
        return Json.MAPPER.readTree(singleQuoted.replace('\'', '"'));
    }

    @Test
    void aChatIsCountedAsOpenAiBillsIt() throws Exception {
        // One user message "hello world": 3 per message + "user" (1) + content (2) + 3 to prime the reply.
        Estimate e = estimator.estimate(Operation.CHAT, "gpt-4o",
                json("{'messages':[{'role':'user','content':'hello world'}]}"), Map.of(), 1024);
        assertEquals(new Estimate(9, 1024, 0), e);
        e = estimator.estimate(Operation.CHAT, "gpt-4o", json("{'messages':[{'role':'system','content':'Be brief.'},"
                + "{'role':'user','name':'bob','content':[{'type':'text','text':'hello world'}]}],'max_tokens':50,"
                + "'n':2}"), Map.of(), 1024);
        long expected = 3 + (3 + 1 + tokenizer.count("gpt-4o", "Be brief.")) + (3 + 1 + 2 + 1 + 1);
        assertEquals(new Estimate(expected, 100, 0), e);
        assertEquals(20, estimator.estimate(Operation.CHAT, "gpt-4o",
                json("{'messages':[],'max_completion_tokens':20,'max_tokens':99}"), Map.of(), 1).completionTokens());
    }

    @Test
    void everyRoleTheEstimateCountsAsOneTokenIsOneTokenInBothEncodings() throws Exception {
        for (String role : Estimator.ONE_TOKEN_ROLES) {
            assertEquals(1, tokenizer.count("gpt-4", role), role);
            assertEquals(1, tokenizer.count("gpt-4o", role), role);
        }
        assertEquals(3 + 3 + tokenizer.count("gpt-4", "narrator") + 2, estimator.estimate(Operation.CHAT, "gpt-4",
                json("{'messages':[{'role':'narrator','content':'hello world'}]}"), Map.of(), 1).promptTokens(),
                "another role is counted");
    }

    @Test
    void otherOperationsCountTheirInputs() throws Exception {
        assertEquals(new Estimate(4, 0, 0), estimator.estimate(Operation.EMBEDDINGS, "text-embedding-3-small",
                json("{'input':['hello world','hello world']}"), Map.of(), 1024));
        assertEquals(new Estimate(3, 0, 0), estimator.estimate(Operation.EMBEDDINGS, "text-embedding-3-small",
                json("{'input':[[1,2,3]]}"), Map.of(), 1024));
        assertEquals(new Estimate(6, 0, 0), estimator.estimate(Operation.RERANK, "bge",
                json("{'query':'hello world','documents':['hello world',{'text':'hello world'}]}"), Map.of(), 1024));
        assertEquals(new Estimate(2, 0, 3), estimator.estimate(Operation.IMAGES, "dall-e-3",
                json("{'prompt':'hello world','n':3}"), Map.of(), 1024));
        assertEquals(new Estimate(11, 0, 0), estimator.estimate(Operation.SPEECH, "tts-1",
                json("{'input':'hello world','voice':'alloy'}"), Map.of(), 1024));
        assertEquals(new Estimate(2, 7, 0), estimator.estimate(Operation.COMPLETIONS, "gpt-3.5-turbo-instruct",
                json("{'prompt':'hello world','max_tokens':7}"), Map.of(), 1024));
    }

    @Test
    void beforeItsEncodingsLoadAGatewayEstimatesWithoutWaitingThenCountsExactly() {
        Tokenizer starting = new Tokenizer();
        starting.guessUntilLoaded();
        String english = "The quick brown fox jumps over the lazy dog, again and again, until the sun goes down.";
        String chinese = "\u4eca\u5929\u5929\u6c14\u5f88\u597d\uff0c\u6211\u4eec\u53bb\u516c\u56ed\u6563\u6b65\u5427\u3002";
        assertEquals((english.length() + 2) / 3, starting.estimate("gpt-4", english), "a third of the UTF-8 bytes");
        assertEquals(chinese.length(), starting.estimate("gpt-4", chinese), "3 bytes a character: one each");
        for (String text : new String[] {english, chinese}) {
            long exact = tokenizer.count("gpt-4", text);
            long guess = starting.estimate("gpt-4", text);
            assertTrue(guess >= exact * 0.8 && guess <= exact * 1.6, text + ": guess " + guess + ", exact " + exact);
        }
        starting.load();
        assertEquals(tokenizer.count("gpt-4", english), starting.estimate("gpt-4", english));
        assertEquals(tokenizer.count("gpt-4o", chinese), starting.estimate("gpt-4o", chinese));
        assertEquals(tokenizer.count("gpt-4", english), new Tokenizer().estimate("gpt-4", english),
                "without guessUntilLoaded an estimate is the exact count");
    }
}
