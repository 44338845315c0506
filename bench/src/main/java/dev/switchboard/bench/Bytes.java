package dev.switchboard.bench;

import java.nio.ByteBuffer;

/** A byte search over a buffer, without copying it or moving its position. */
final class Bytes {

    private Bytes() {
    }

    /** @return how many times {@code needle} occurs in the buffer's remaining bytes */
    static int count(ByteBuffer haystack, byte[] needle) {
        int n = 0;
        int end = haystack.limit() - needle.length;
        outer:
        for (int i = haystack.position(); i <= end; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            n++;
        }
        return n;
    }
}
