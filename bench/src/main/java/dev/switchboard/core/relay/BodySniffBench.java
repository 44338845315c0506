package dev.switchboard.core.relay;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.switchboard.core.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What the relay reads of bodies on the pass-through path: a chat request parsed and rewritten for the upstream
 * (model mapped, usage asked for), and usage found in a JSON answer as its bytes go by.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BodySniffBench {

    private final byte[] request = ("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"temperature\":0.2,\"messages\":["
            + "{\"role\":\"system\",\"content\":\"You are a helpful assistant that answers briefly.\"},"
            + "{\"role\":\"user\",\"content\":\"Summarise the plot of Hamlet in three sentences, please.\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    private final byte[] answer = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"Prince Hamlet seeks revenge for his father's murder; hesitation and madness follow.\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":35,\"completion_tokens\":18,"
            + "\"total_tokens\":53}}").getBytes(StandardCharsets.UTF_8);
    private final ObjectReader trees = RelayBody.treeReader(Json.MAPPER);
    /** Jetty's client hands the relay pooled direct buffers: the relay copies each chunk once, then scans. */
    private final ByteBuffer answerChunk = ByteBuffer.allocateDirect(answer.length).put(answer).flip();

    @Benchmark
    public byte[] parseAndRewriteRequest() {
        return RelayBody.parse(request, trees).forUpstream("gpt-4o-mini-2024-07-18", true);
    }

    /** An answer of unknown length: scanned token by token as it comes. */
    @Benchmark
    public Object scanUsageInAnswer() {
        UsageScanner scanner = new UsageScanner();
        scanner.feed(answerChunk);
        return scanner.usage();
    }

    /** An answer with a Content-Length (the usual JSON answer): kept whole and scanned once at its end. */
    @Benchmark
    public Object scanUsageInWholeAnswer() {
        UsageScanner scanner = new UsageScanner(answer.length);
        scanner.feed(answerChunk);
        return scanner.usage();
    }
}
