package dev.switchboard.core.usage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.store.LogRecord;
import dev.switchboard.core.store.Store;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the log: pages of entries (newest first) and aggregates for charts. Entries are keyed by time, so a
 * {@code from}/{@code to} range reads only its part of the log. What the write-behind has not committed yet (at
 * most one window) is not seen.
 */
public final class LogBook {

    private final Store store;

    /** @param store where the log is */
    public LogBook(Store store) {
        this.store = store;
    }

    /** A page. @param entries the entries of the page @param total how many match */
    public record Page(List<LogRecord> entries, long total) {
    }

    /**
     * @param filter what to match
     * @param page 1-based page
     * @param perPage entries per page
     * @return the page, newest first
     */
    public Page query(LogFilter filter, int page, int perPage) {
        long skip = (long) (page - 1) * perPage;
        List<LogRecord> out = new ArrayList<>();
        long[] total = {0};
        store.scanLogs(filter.fromId(), filter.toId(), true, e -> {
            if (filter.matches(e)) {
                if (total[0] >= skip && out.size() < perPage) {
                    out.add(e);
                }
                total[0]++;
            }
            return true;
        });
        return new Page(out, total[0]);
    }

    /**
     * Aggregates relayed requests.
     *
     * @param filter what to include (its type is taken as {@code relay})
     * @param groupBy {@code day} (UTC), {@code hour} (its start, unix seconds), {@code model}, {@code channel},
     *     {@code token} or {@code user}
     * @return {@code [{key, requests, errors, prompt_tokens, completion_tokens, cost}]}, by key
     */
    public ArrayNode stats(LogFilter filter, String groupBy) {
        LogFilter f = new LogFilter(filter.from(), filter.to(), LogRecord.RELAY, filter.userId(), filter.tokenId(),
                filter.model(), filter.channelId(), filter.status());
        Map<String, long[]> sums = new TreeMap<>();
        store.scanLogs(f.fromId(), f.toId(), false, e -> {
            if (f.matches(e)) {
                long[] s = sums.computeIfAbsent(key(e, groupBy), k -> new long[5]);
                s[0]++;
                s[1] += e.status() >= 400 ? 1 : 0;
                s[2] += e.promptTokens();
                s[3] += e.completionTokens();
                s[4] += e.cost();
            }
            return true;
        });
        ArrayNode data = Json.MAPPER.createArrayNode();
        sums.forEach((k, s) -> {
            ObjectNode o = data.addObject();
            o.put("key", k);
            o.put("requests", s[0]);
            o.put("errors", s[1]);
            o.put("prompt_tokens", s[2]);
            o.put("completion_tokens", s[3]);
            o.put("cost", s[4]);
        });
        return data;
    }

    private static String key(LogRecord e, String groupBy) {
        return switch (groupBy) {
            case "day" -> Instant.ofEpochSecond(e.createdAt()).atZone(ZoneOffset.UTC).toLocalDate().toString();
            // The hour's start in unix seconds (all ten digits for centuries, so the keys sort by time): the console
            // charts it in the browser's zone, which a UTC date string would not allow.
            case "hour" -> Long.toString(e.createdAt() - Math.floorMod(e.createdAt(), 3600L));
            case "model" -> String.valueOf(e.model());
            case "channel" -> Long.toString(e.channelId());
            case "token" -> Long.toString(e.tokenId());
            default -> Long.toString(e.userId());
        };
    }

    /** @param e an entry @return its answer object, with the fields of the admin API contract */
    public static ObjectNode json(LogRecord e) {
        ObjectNode o = Json.object();
        o.put("id", e.id());
        o.put("created_at", e.createdAt());
        o.put("type", e.type());
        o.put("user_id", e.userId());
        if (LogRecord.ADMIN.equals(e.type())) {
            o.put("action", e.action());
            o.put("status", e.status());
            o.put("client_ip", e.clientIp());
            o.put("request_id", e.requestId());
            return o;
        }
        o.put("token_id", e.tokenId());
        o.put("token_name", e.tokenName());
        o.put("channel_id", e.channelId());
        o.put("model", e.model());
        o.put("upstream_model", e.upstreamModel());
        o.put("is_stream", e.isStream());
        o.put("prompt_tokens", e.promptTokens());
        o.put("completion_tokens", e.completionTokens());
        o.put("cached_tokens", e.cachedTokens());
        o.put("cost", e.cost());
        o.put("unpriced", e.unpriced());
        o.put("usage_counted", e.usageCounted());
        o.put("first_byte_ms", e.firstByteMs());
        o.put("total_ms", e.totalMs());
        o.put("status", e.status());
        o.put("error", e.error());
        ArrayNode attempts = o.putArray("attempts");
        for (LogRecord.AttemptEntry a : e.attempts() == null ? List.<LogRecord.AttemptEntry>of() : e.attempts()) {
            ObjectNode x = attempts.addObject();
            x.put("channel_id", a.channelId());
            x.put("status", a.status());
            x.put("ms", a.ms());
            x.put("reason", a.reason());
        }
        o.put("client_ip", e.clientIp());
        o.put("request_id", e.requestId());
        return o;
    }
}
