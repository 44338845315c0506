package dev.switchboard.core.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamTranslator;
import dev.switchboard.plugin.qianfan.QianfanAdapter;
import dev.switchboard.plugin.qwen.QwenAdapter;
import dev.switchboard.testkit.TestRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One stream event through the relay, per vendor: the core's SSE parse, then for OpenAI (and every compatible
 * vendor: SiliconCloud, Qianfan v2, Qwen compatible mode) nothing more, for Qwen's native and Qianfan's v1 streams
 * the plugin's translator to an OpenAI chunk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StreamTranslateBench {

    @Param({"openai", "qwen-native", "qianfan-v1"})
    public String vendor;

    private byte[] event;
    private StreamTranslator translator;
    private SseParser parser;

    @Setup
    public void setUp() {
        String data;
        switch (vendor) {
            case "qwen-native" -> {
                data = "{\"output\":{\"choices\":[{\"message\":{\"content\":\"tok \",\"role\":\"assistant\"},"
                        + "\"finish_reason\":\"null\"}]},\"usage\":{\"input_tokens\":10,\"output_tokens\":1,"
                        + "\"total_tokens\":11},\"request_id\":\"5f1c9c2e-aaaa\"}";
                translator = new QwenAdapter().newStreamTranslator(TestRequest.chat(
                        "{\"model\":\"qwen-plus\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
            }
            case "qianfan-v1" -> {
                data = "{\"id\":\"as-vx7bt1\",\"object\":\"chat.completion\",\"created\":1693301430,\"sentence_id\":1,"
                        + "\"is_end\":false,\"is_truncated\":false,\"result\":\"tok \",\"need_clear_history\":false,"
                        + "\"finish_reason\":\"normal\",\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":0,"
                        + "\"total_tokens\":4}}";
                translator = new QianfanAdapter().newStreamTranslator(TestRequest.chat(
                        "{\"model\":\"ERNIE-Speed-128K\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
            }
            default -> data = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok \"},"
                    + "\"finish_reason\":null}]}";
        }
        event = ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        parser = new SseParser(1 << 20);
    }

    @Benchmark
    public void oneEvent(Blackhole out) {
        parser.feed(ByteBuffer.wrap(event), ev -> translate(ev, out));
    }

    private void translate(SseEvent ev, Blackhole out) {
        if (translator == null) {
            out.consume(ev);
            return;
        }
        try {
            translator.onEvent(ev, (JsonNode chunk) -> out.consume(chunk.toString()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
