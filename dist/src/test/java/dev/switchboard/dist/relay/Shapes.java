package dev.switchboard.dist.relay;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** OpenAI wire shapes the fake upstream answers with. */
final class Shapes {

    private Shapes() {
    }

    /**
     * @param model the model the upstream names
     * @param deltaJson the {@code delta} object as JSON text
     * @param finish the finish reason, or null
     * @param withUsageNull add {@code "usage": null}, as OpenAI does when usage was asked for
     * @return one {@code chat.completion.chunk}
     */
    static String chunk(String model, String deltaJson, String finish, boolean withUsageNull) {
        ObjectNode c = RelayGateway.JSON.createObjectNode();
        c.put("id", "chatcmpl-e2e-stream");
        c.put("object", "chat.completion.chunk");
        c.put("created", 1700000200);
        c.put("model", model);
        c.put("system_fingerprint", "fp_e2e");
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", RelayGateway.parse(deltaJson));
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        if (withUsageNull) {
            c.putNull("usage");
        }
        return c.toString();
    }

    /**
     * @param model the model the upstream names
     * @param content the assistant's answer
     * @param prompt prompt tokens
     * @param completion completion tokens
     * @return a {@code chat.completion}
     */
    static String completion(String model, String content, int prompt, int completion) {
        ObjectNode c = RelayGateway.JSON.createObjectNode();
        c.put("id", "chatcmpl-e2e");
        c.put("object", "chat.completion");
        c.put("created", 1700000100);
        c.put("model", model);
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode m = choice.putObject("message");
        m.put("role", "assistant");
        m.put("content", content);
        m.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        ObjectNode u = c.putObject("usage");
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        c.put("system_fingerprint", "fp_e2e");
        return c.toString();
    }
}
