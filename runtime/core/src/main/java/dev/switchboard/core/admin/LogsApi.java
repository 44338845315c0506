package dev.switchboard.core.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.BadInput;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.usage.LogBook;
import dev.switchboard.core.usage.LogFilter;
import dev.switchboard.core.usage.Retention;
import java.util.Set;

/**
 * {@code /api/logs} (filters {@code from}, {@code to}, {@code user_id}, {@code token_id}, {@code model},
 * {@code channel_id}, {@code status} (a status, {@code error} or {@code success}), {@code type}; newest first,
 * paged), {@code DELETE /api/logs?before=} (admins: removes older entries) and {@code /api/stats}. A user sees
 * only their own entries and statistics.
 */
public final class LogsApi {

    private static final Set<String> GROUP_BY = Set.of("day", "hour", "model", "channel", "token", "user");

    private final LogBook book;
    private final Retention retention;

    /** @param book reads the log @param retention removes old entries */
    public LogsApi(LogBook book, Retention retention) {
        this.book = book;
        this.retention = retention;
    }

    /** @param router where to add the routes */
    public void register(Router router) {
        router.add(Access.USER, "GET", "logs", call -> {
            int page = call.queryInt("page", 1, 1, Integer.MAX_VALUE);
            int perPage = call.queryInt("per_page", 50, 1, Pages.MAX_PER_PAGE);
            LogBook.Page p = book.query(filter(call), page, perPage);
            ObjectNode o = Json.object();
            com.fasterxml.jackson.databind.node.ArrayNode data = o.putArray("data");
            p.entries().forEach(e -> data.add(LogBook.json(e)));
            o.put("total", p.total());
            return ApiResult.ok(o);
        }).add("DELETE", "logs", call -> {
            Long before = call.queryLong("before");
            if (before == null) {
                throw BadInput.invalid("before", "before (unix seconds) is required: entries older than it go");
            }
            ObjectNode o = Json.object();
            o.put("removed", retention.removeBefore(before));
            return ApiResult.ok(o);
        }).add(Access.USER, "GET", "stats", call -> {
            String groupBy = call.queryValue("group_by") == null ? "day" : call.queryValue("group_by");
            if (!GROUP_BY.contains(groupBy)) {
                throw BadInput.invalid("group_by", "group_by must be day, hour, model, channel, token or user");
            }
            ObjectNode o = Json.object();
            o.set("data", book.stats(filter(call), groupBy));
            return ApiResult.ok(o);
        });
    }

    private static LogFilter filter(ApiCall call) {
        Long userId = call.queryLong("user_id");
        if (!call.isAdmin()) {
            if (userId != null && userId != call.userId()) {
                throw new BadInput(403, "forbidden", "user_id", "a user may read only their own logs");
            }
            userId = call.userId();
        }
        String status = call.queryValue("status");
        Integer s = null;
        if (status != null && !status.isBlank()) {
            s = switch (status.trim()) {
                case "error" -> LogFilter.ERRORS;
                case "success" -> LogFilter.SUCCESSES;
                default -> call.queryLong("status").intValue();
            };
        }
        String type = call.queryValue("type");
        if (type != null && !type.equals("relay") && !type.equals("admin")) {
            throw BadInput.invalid("type", "type must be relay or admin");
        }
        return new LogFilter(call.queryLong("from"), call.queryLong("to"), type, userId, call.queryLong("token_id"),
                call.queryValue("model"), call.queryLong("channel_id"), s);
    }
}
