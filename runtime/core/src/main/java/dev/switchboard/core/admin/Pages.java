package dev.switchboard.core.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.json.Json;
import java.util.List;
import java.util.function.Function;

/** List answers: {@code {"data":[...], "total":N}} with {@code ?page=1&per_page=50}. */
public final class Pages {

    static final int MAX_PER_PAGE = 500;

    private Pages() {
    }

    public static <T> ObjectNode of(ApiCall call, List<T> all, Function<T, JsonNode> view) {
        int page = call.queryInt("page", 1, 1, Integer.MAX_VALUE);
        int perPage = call.queryInt("per_page", 50, 1, MAX_PER_PAGE);
        ArrayNode data = Json.MAPPER.createArrayNode();
        long from = (long) (page - 1) * perPage;
        for (long i = from; i < Math.min(all.size(), from + perPage); i++) {
            data.add(view.apply(all.get((int) i)));
        }
        ObjectNode o = Json.object();
        o.set("data", data);
        o.put("total", all.size());
        return o;
    }
}
