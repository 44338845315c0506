package dev.switchboard.core.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.json.Fields;
import dev.switchboard.core.store.TokenRecord;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Turns admin input into a checked {@link TokenRecord}; every problem names its field. */
final class TokenForm {

    private static final Set<String> WRITABLE = Set.of("name", "status", "expires_at", "unlimited_quota",
            "remain_quota", "models", "subnets", "group", "rpm", "tpm", "max_concurrency");
    private static final Set<String> READ_ONLY = Set.of("id", "key_masked", "used_quota", "user_id", "created_at");

    private TokenForm() {
    }

    static TokenRecord apply(JsonNode input, TokenRecord existing, String keyHash, String keyMasked, long userId,
            long now) {
        Fields f = Fields.of(input);
        Set<String> allowed = new HashSet<>(WRITABLE);
        allowed.addAll(READ_ONLY);
        f.rejectUnknown(allowed);
        boolean create = existing == null;
        String name = f.has("name") ? f.requiredString("name") : create ? "token" : existing.name();
        String status = create ? "enabled" : existing.status();
        if (f.present("status")) {
            String s = f.string("status", null);
            // Answers show the derived status (expired, exhausted): sent back unchanged, it changes nothing.
            if (create || !s.equals(Tokens.effectiveStatus(existing, now))) {
                if (!s.equals("enabled") && !s.equals("disabled")) {
                    throw BadInput.invalid("status", "status must be enabled or disabled");
                }
                status = s;
            }
        }
        Long expiresAt = f.has("expires_at") ? f.optionalInteger("expires_at") : create ? null : existing.expiresAt();
        if (expiresAt != null && expiresAt <= 0) {
            throw BadInput.invalid("expires_at", "expires_at must be unix seconds, or null for no expiry");
        }
        boolean unlimited = f.bool("unlimited_quota", create || existing.unlimitedQuota());
        long remain = f.integer("remain_quota", create ? 0 : existing.remainQuota());
        if (remain < 0) {
            throw BadInput.invalid("remain_quota", "remain_quota must be 0 or more (micro-units of the currency)");
        }
        List<String> models = f.stringList("models", "model names", create ? List.of() : existing.models());
        List<String> subnets = f.stringList("subnets", "CIDR subnets", create ? List.of() : existing.subnets());
        subnets.forEach(TokenForm::checkCidr);
        String group = f.has("group") ? blankToNull(f.string("group", null)) : create ? null : existing.group();
        Integer rpm = limit(f, "rpm", create ? null : existing.rpm());
        Integer tpm = limit(f, "tpm", create ? null : existing.tpm());
        Integer concurrency = limit(f, "max_concurrency", create ? null : existing.maxConcurrency());
        return new TokenRecord(create ? 0 : existing.id(), name, keyHash, keyMasked, status, expiresAt, unlimited,
                remain, create ? 0 : existing.usedQuota(), models, subnets, group, rpm, tpm, concurrency, userId,
                create ? now : existing.createdAt());
    }

    private static Integer limit(Fields f, String name, Integer fallback) {
        if (!f.has(name)) {
            return fallback;
        }
        Long v = f.optionalInteger(name);
        if (v == null || v == 0) {
            return null;
        }
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw BadInput.invalid(name, name + " must be a positive integer, or null for no limit");
        }
        return v.intValue();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static final java.util.regex.Pattern IPV4 =
            java.util.regex.Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    /** Accepts address literals only: a host name would mean a DNS lookup, and is not a subnet. */
    static void checkCidr(String cidr) {
        String[] parts = cidr.split("/", 2);
        boolean ok = false;
        if (IPV4.matcher(parts[0]).matches() || IPV6.matcher(parts[0]).matches()) {
            try {
                byte[] addr = java.net.InetAddress.getByName(parts[0]).getAddress();
                int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : addr.length * 8;
                ok = bits >= 0 && bits <= addr.length * 8;
            } catch (java.net.UnknownHostException | NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw BadInput.invalid("subnets", "subnets must be CIDR blocks such as 10.0.0.0/8; '" + cidr
                    + "' is not one");
        }
    }
}
