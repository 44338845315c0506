package dev.switchboard.core.relay;

import dev.switchboard.core.server.ClientAddress;
import dev.switchboard.core.store.TokenRecord;
import dev.switchboard.core.token.Tokens;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Relay authentication: {@code Authorization: Bearer sk-...} or {@code api-key: sk-...}, looked up in memory by
 * SHA-256, then the token's status, expiry, quota and client subnets, with the relay contract's errors.
 */
final class TokenAuth {

    private final Tokens tokens;

    TokenAuth(Tokens tokens) {
        this.tokens = tokens;
    }

    TokenRecord authenticate(Request request) {
        String key = presentedKey(request);
        if (key == null) {
            throw RelayError.of(401, "invalid_api_key",
                    "no API key: send 'Authorization: Bearer <your Switchboard token>'");
        }
        TokenRecord t = tokens.byKey(key).orElseThrow(() -> RelayError.of(401, "invalid_api_key",
                "invalid API key: no Switchboard token matches it"));
        switch (Tokens.effectiveStatus(t, Instant.now().getEpochSecond())) {
            case "enabled" -> {
                // Checked further below.
            }
            case "expired" -> throw RelayError.of(401, "token_expired",
                    "this token expired; ask the operator to extend it or make a new one");
            case "exhausted" -> throw RelayError.typed(429, "insufficient_quota", "insufficient_quota",
                    "this token's quota is used up");
            default -> throw RelayError.of(401, "invalid_api_key", "this token is disabled");
        }
        if (!t.subnets().isEmpty() && !allowed(ClientAddress.of(request), t)) {
            throw RelayError.typed(403, "permission_error", "ip_not_allowed",
                    "this token may not be used from " + ClientAddress.of(request));
        }
        return t;
    }

    static void checkModel(TokenRecord t, String model) {
        if (!t.models().isEmpty() && !t.models().contains(model)) {
            throw RelayError.typed(403, "permission_error", "model_not_allowed",
                    "this token may not use the model '" + model + "'");
        }
    }

    private static String presentedKey(Request request) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String k = auth.substring(7).trim();
            return k.isEmpty() ? null : k;
        }
        String apiKey = request.getHeaders().get("api-key");
        return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }

    private static boolean allowed(String address, TokenRecord t) {
        try {
            byte[] client = InetAddress.getByName(address).getAddress();
            for (String cidr : t.subnets()) {
                if (contains(cidr, client)) {
                    return true;
                }
            }
        } catch (UnknownHostException e) {
            return false;
        }
        return false;
    }

    static boolean contains(String cidr, byte[] address) throws UnknownHostException {
        String[] parts = cidr.split("/", 2);
        byte[] net = InetAddress.getByName(parts[0]).getAddress();
        if (net.length != address.length) {
            return false;
        }
        int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : net.length * 8;
        int total = net.length * 8;
        BigInteger mask = bits == 0 ? BigInteger.ZERO
                : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftLeft(total - bits);
        return new BigInteger(1, net).and(mask).equals(new BigInteger(1, address).and(mask));
    }
}
