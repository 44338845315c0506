package dev.switchboard.core.server;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxies whose {@code X-Forwarded-For} is believed ({@code proxy.trusted}): literal addresses and CIDR
 * blocks. The client is the right-most address of the header that is not one of them, when the connection
 * itself comes from one; anyone else's header is ignored, so a client cannot choose its own address.
 */
public final class TrustedProxies {

    /** Trusts nobody: the connection's address is the client's. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private record Block(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int total = network.length * 8;
            BigInteger mask = bits == 0 ? BigInteger.ZERO
                    : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftLeft(total - bits);
            return new BigInteger(1, network).and(mask).equals(new BigInteger(1, address).and(mask));
        }
    }

    private final List<Block> blocks;

    /** @param entries addresses or CIDR blocks, already checked by the settings */
    public TrustedProxies(List<String> entries) {
        List<Block> out = new ArrayList<>();
        for (String e : entries) {
            String[] parts = e.trim().split("/", 2);
            byte[] net = literal(parts[0]);
            if (net == null) {
                throw new IllegalArgumentException("'" + e + "' is not an IP address or CIDR block");
            }
            out.add(new Block(net, parts.length == 2 ? Integer.parseInt(parts[1]) : net.length * 8));
        }
        this.blocks = List.copyOf(out);
    }

    /** @return whether no proxy is trusted */
    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /**
     * @param peer the connection's remote address
     * @param forwardedFor the {@code X-Forwarded-For} values, or {@code null}
     * @return the client's address
     */
    public String client(String peer, List<String> forwardedFor) {
        if (blocks.isEmpty() || forwardedFor == null || forwardedFor.isEmpty() || !trusted(peer)) {
            return peer;
        }
        String client = peer;
        // Right to left: each hop was added by the one after it; stop at the first we do not trust.
        for (int i = forwardedFor.size() - 1; i >= 0; i--) {
            String[] hops = forwardedFor.get(i).split(",");
            for (int j = hops.length - 1; j >= 0; j--) {
                String hop = strip(hops[j]);
                if (hop.isEmpty()) {
                    continue;
                }
                if (literal(hop) == null) {
                    return client;
                }
                client = hop;
                if (!trusted(hop)) {
                    return hop;
                }
            }
        }
        return client;
    }

    boolean trusted(String address) {
        byte[] a = literal(address);
        if (a == null) {
            return false;
        }
        for (Block b : blocks) {
            if (b.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** A hop as proxies write it: maybe bracketed ({@code [::1]}), maybe with a port ({@code 1.2.3.4:5678}). */
    private static String strip(String hop) {
        String h = hop.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(1, end) : h;
        }
        int colon = h.indexOf(':');
        if (colon > 0 && colon == h.lastIndexOf(':') && h.indexOf('.') > 0) {
            return h.substring(0, colon);
        }
        return h;
    }

    /** @return the address's bytes when it is a literal IPv4 or IPv6 address (never a name lookup) */
    static byte[] literal(String s) {
        if (s == null || s.isEmpty() || !s.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.%a-zA-Z0-9]*")) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }
}
