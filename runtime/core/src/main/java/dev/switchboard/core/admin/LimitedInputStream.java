package dev.switchboard.core.admin;

import dev.switchboard.core.json.BadInput;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails with a 413 once more than the limit has been read, whatever the declared length said. */
final class LimitedInputStream extends FilterInputStream {

    private final long limit;
    private long read;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) {
        read += n;
        if (read > limit) {
            throw new BadInput(413, "body_too_large", null, "the body is larger than " + limit + " bytes");
        }
    }
}
