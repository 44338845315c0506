package dev.switchboard.api.web;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One static file of a {@link WebAssets} site: its bytes, media type and entity tag. Immutable; the content is
 * held in memory, which suits the small files of a web console.
 */
public final class WebAsset {

    private final ByteBuffer content;
    private final String contentType;
    private final String etag;

    /**
     * @param content the file's bytes (copied)
     * @param contentType its media type with any charset, e.g. {@code text/javascript; charset=utf-8}
     * @param etag a tag that changes whenever the content does (e.g. a hash of it), without quotes
     */
    public WebAsset(byte[] content, String contentType, String etag) {
        this.content = ByteBuffer.wrap(content.clone()).asReadOnlyBuffer();
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.etag = Objects.requireNonNull(etag, "etag");
    }

    /** @return the bytes, as a fresh read-only view positioned at the start */
    public ByteBuffer content() {
        return content.duplicate();
    }

    /** @return the size in bytes */
    public int length() {
        return content.capacity();
    }

    /** @return the media type, e.g. {@code text/html; charset=utf-8} */
    public String contentType() {
        return contentType;
    }

    /** @return the entity tag, without quotes */
    public String etag() {
        return etag;
    }
}
