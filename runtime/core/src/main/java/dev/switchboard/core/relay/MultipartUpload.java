package dev.switchboard.core.relay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.MultiPartRequestContent;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.server.Request;

/**
 * A multipart upload (transcription, translation), spooled so its text fields can be read wherever they appear
 * (clients send {@code file} before {@code model}): parts up to the threshold stay in memory, larger ones go to
 * a temporary file, deleted when the upload is closed. Streamed upstream from there, never whole in the heap.
 */
final class MultipartUpload implements AutoCloseable {

    private final MultiPartFormData.Parts parts;
    private final Map<String, String> fields = new LinkedHashMap<>();

    private MultipartUpload(MultiPartFormData.Parts parts) {
        this.parts = parts;
        for (MultiPart.Part p : parts) {
            if (p.getFileName() == null) {
                fields.put(p.getName(), p.getContentAsString(StandardCharsets.UTF_8));
            }
        }
    }

    static CompletableFuture<MultipartUpload> read(Request request, RelayLimits limits, Path spoolDir) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")
                || MultiPart.extractBoundary(type) == null) {
            throw RelayError.invalid("invalid_value", null,
                    "this route takes multipart/form-data with a 'file' and a 'model' field");
        }
        MultiPartConfig config = new MultiPartConfig.Builder().location(spoolDir).maxParts(64)
                .maxSize(limits.maxAudio() + 64 * 1024).maxPartSize(limits.maxAudio())
                .maxMemoryPartSize(limits.spoolThreshold()).build();
        return MultiPartFormData.from(request, request, type, config).thenApply(MultipartUpload::new);
    }

    Map<String, String> fields() {
        return fields;
    }

    boolean hasFile() {
        for (MultiPart.Part p : parts) {
            if ("file".equals(p.getName()) && p.getFileName() != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param upstreamModel the model name to send in place of the client's
     * @return the upload as the upstream gets it, parts in the client's order
     */
    MultiPartRequestContent forUpstream(String upstreamModel) {
        MultiPartRequestContent out = new MultiPartRequestContent();
        for (MultiPart.Part p : parts) {
            HttpFields.Mutable headers = HttpFields.build();
            String contentType = p.getHeaders().get(HttpHeader.CONTENT_TYPE);
            if (contentType != null) {
                headers.put(HttpHeader.CONTENT_TYPE, contentType);
            }
            if (p.getFileName() != null) {
                // The spooled part itself: in memory or a temporary file, read again as the upstream takes it.
                out.addPart(p);
            } else {
                String value = "model".equals(p.getName()) ? upstreamModel : fields.get(p.getName());
                out.addPart(new MultiPart.ByteBufferPart(p.getName(), null, headers,
                        ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8))));
            }
        }
        out.close();
        return out;
    }

    @Override
    public void close() {
        parts.close();
    }
}
