package dev.switchboard.dist.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake OpenAI upstream on loopback for the accounting tests. {@code POST /v1/chat/completions} answers by the
 * model asked for: {@code fail-*} with a 500; {@code nousage-*} without usage; anything else with usage
 * {@value #PROMPT} prompt and {@value #COMPLETION} completion tokens. Streams send "Hello" and " world" then
 * (unless nousage) a usage chunk; {@code slow-*} streams pause 3 s after "Hello" (usage only at the end). Each answer
 * waits {@link #delayMillis} first.
 */
final class FakeOpenAi implements AutoCloseable {

    static final int PROMPT = 10;
    static final int COMPLETION = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    final AtomicInteger calls = new AtomicInteger();
    volatile long delayMillis;

    private FakeOpenAi(HttpServer server) {
        this.server = server;
    }

    static FakeOpenAi start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
            FakeOpenAi fake = new FakeOpenAi(s);
            s.createContext("/v1/chat/completions", fake::chat);
            s.setExecutor(Executors.newFixedThreadPool(64));
            s.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the base URL a channel names, e.g. {@code http://127.0.0.1:41234/v1} */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void chat(HttpExchange ex) throws IOException {
        calls.incrementAndGet();
        JsonNode req = JSON.readTree(ex.getRequestBody());
        String model = req.path("model").asText();
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (model.startsWith("fail")) {
            send(ex, 500, "application/json", "{\"error\":{\"message\":\"the fake upstream failed\","
                    + "\"type\":\"server_error\",\"code\":null}}");
            return;
        }
        boolean usage = !model.startsWith("nousage");
        String usageJson = "{\"prompt_tokens\":" + PROMPT + ",\"completion_tokens\":" + COMPLETION
                + ",\"total_tokens\":" + (PROMPT + COMPLETION) + "}";
        if (model.startsWith("slow") && req.path("stream").asBoolean(false)) {
            slowStream(ex, model, usageJson);
            return;
        }
        if (req.path("stream").asBoolean(false)) {
            StringBuilder sb = new StringBuilder();
            for (String piece : new String[] {"Hello", " world"}) {
                sb.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"")
                        .append(model).append("\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(piece)
                        .append("\"},\"finish_reason\":null}]}\n\n");
            }
            if (usage) {
                sb.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"")
                        .append(model).append("\",\"choices\":[],\"usage\":").append(usageJson).append("}\n\n");
            }
            sb.append("data: [DONE]\n\n");
            send(ex, 200, "text/event-stream", sb.toString());
            return;
        }
        send(ex, 200, "application/json", "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\""
                + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + "\"Hello world\"},\"finish_reason\":\"stop\"}]" + (usage ? ",\"usage\":" + usageJson : "") + "}");
    }

    /** "Hello", a pause in which the client may leave, then the rest: a client that left pays for "Hello". */
    private static void slowStream(HttpExchange ex, String model, String usageJson) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(chunk(model, "Hello").getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(3000);
            for (int i = 0; i < 50; i++) {
                out.write(chunk(model, " more").getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(20);
            }
            out.write(("data: {\"id\":\"c1\",\"choices\":[],\"usage\":" + usageJson + "}\n\ndata: [DONE]\n\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The gateway cut the call: its client left.
        }
    }

    private static String chunk(String model, String piece) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + piece + "\"},\"finish_reason\":null}]}\n\n";
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
