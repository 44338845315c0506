package dev.switchboard.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.testkit.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /api/channels: {data, total}, the filters type, status, model and q, and pagination. */
class ChannelListTest extends AdminApiTest {

    @BeforeEach
    void fiveChannels() {
        createChannel("{'name':'OpenAI main','type':'openai','key':'" + VENDOR_KEY + "',"
                + "'models':['gpt-4o','gpt-4o-mini']}");
        createChannel("{'name':'OpenAI backup','type':'openai','key':'" + VENDOR_KEY + "','models':['gpt-4o'],"
                + "'status':'disabled'}");
        createChannel("{'name':'Qwen','type':'qwen','key':'" + VENDOR_KEY + "','models':['qwen-max']}");
        createChannel("{'name':'Azure','type':'azure','key':'" + VENDOR_KEY + "','models':['gpt-4o'],"
                + "'base_url':'https://corp.openai.azure.com'}");
        createChannel("{'name':'Siliconflow','type':'siliconcloud','key':'" + VENDOR_KEY + "',"
                + "'models':['deepseek-v3']}");
    }

    @Test
    void allChannelsAreListedInIdOrderWithTheTotal() {
        JsonNode list = api.get("/api/channels").json();
        assertEquals(5, list.path("total").asInt());
        assertEquals(List.of("OpenAI main", "OpenAI backup", "Qwen", "Azure", "Siliconflow"), names(list));
    }

    @Test
    void filterByType() {
        assertEquals(List.of("OpenAI main", "OpenAI backup"), names(api.get("/api/channels?type=openai").json()));
        assertEquals(2, api.get("/api/channels?type=openai").json().path("total").asInt());
        assertEquals(List.of(), names(api.get("/api/channels?type=qianfan").json()));
    }

    @Test
    void filterByStatus() {
        assertEquals(List.of("OpenAI backup"), names(api.get("/api/channels?status=disabled").json()));
        assertEquals(4, api.get("/api/channels?status=enabled").json().path("total").asInt());
    }

    @Test
    void filterByModel() {
        assertEquals(List.of("OpenAI main", "OpenAI backup", "Azure"),
                names(api.get("/api/channels?model=gpt-4o").json()));
        assertEquals(List.of("OpenAI main"), names(api.get("/api/channels?model=gpt-4o-mini").json()));
    }

    @Test
    void searchMatchesNameBaseUrlAndModelsIgnoringCase() {
        assertEquals(List.of("OpenAI main", "OpenAI backup", "Azure"), names(api.get("/api/channels?q=OPENAI").json()),
                "names and the Azure base URL");
        assertEquals(List.of("Siliconflow"), names(api.get("/api/channels?q=deepseek").json()));
        assertEquals(List.of(), names(api.get("/api/channels?q=nothing").json()));
    }

    @Test
    void filtersCombine() {
        JsonNode list = api.get("/api/channels?type=openai&status=enabled&model=gpt-4o&q=main").json();
        assertEquals(List.of("OpenAI main"), names(list));
        assertEquals(1, list.path("total").asInt());
    }

    @Test
    void pagesSliceTheListWhileTotalCountsAll() {
        JsonNode first = api.get("/api/channels?page=1&per_page=2").json();
        assertEquals(List.of("OpenAI main", "OpenAI backup"), names(first));
        assertEquals(5, first.path("total").asInt());
        assertEquals(List.of("Qwen", "Azure"), names(api.get("/api/channels?page=2&per_page=2").json()));
        assertEquals(List.of("Siliconflow"), names(api.get("/api/channels?page=3&per_page=2").json()));
        JsonNode beyond = api.get("/api/channels?page=4&per_page=2").json();
        assertEquals(List.of(), names(beyond));
        assertEquals(5, beyond.path("total").asInt());
    }

    @Test
    void pagesApplyAfterFilters() {
        JsonNode page = api.get("/api/channels?model=gpt-4o&page=2&per_page=2").json();
        assertEquals(List.of("Azure"), names(page));
        assertEquals(3, page.path("total").asInt());
    }

    @Test
    void badPagingIs400NamingTheParameter() {
        for (String query : List.of("page=0", "page=x", "per_page=0", "per_page=100000")) {
            Reply r = api.get("/api/channels?" + query);
            assertEquals(400, r.status(), query + ": " + r);
            assertEquals(query.split("=")[0], r.error().path("param").asText(), r.toString());
        }
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("data").forEach(c -> out.add(c.path("name").asText()));
        return out;
    }
}
