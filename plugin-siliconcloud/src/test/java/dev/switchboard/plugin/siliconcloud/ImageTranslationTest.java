package dev.switchboard.plugin.siliconcloud;

import static dev.switchboard.plugin.siliconcloud.Fixtures.assertJson;
import static dev.switchboard.plugin.siliconcloud.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.provider.Operation;
import dev.switchboard.api.provider.TranslatedResponse;
import dev.switchboard.api.provider.UpstreamErrorException;
import dev.switchboard.api.provider.Usage;
import org.junit.jupiter.api.Test;

/** OpenAI image requests to SiliconFlow's field names and its answers back. */
class ImageTranslationTest {

    private final ImageTranslation images = new ImageTranslation(Fixtures.JSON);

    @Test
    void nAndSizeBecomeBatchSizeAndImageSize() throws Exception {
        var r = Fixtures.mapped(Operation.IMAGES, "black-forest-labs/FLUX.1-schnell", "{\"model\":\"flux\","
                + "\"prompt\":\"a red fox\",\"n\":2,\"size\":\"512x512\",\"quality\":\"hd\",\"style\":\"vivid\","
                + "\"response_format\":\"url\",\"user\":\"u1\",\"negative_prompt\":\"blur\",\"seed\":42,"
                + "\"num_inference_steps\":20,\"guidance_scale\":7.5}");
        assertJson("{\"model\":\"black-forest-labs/FLUX.1-schnell\",\"prompt\":\"a red fox\","
                + "\"negative_prompt\":\"blur\",\"seed\":42,\"num_inference_steps\":20,\"guidance_scale\":7.5,"
                + "\"batch_size\":2,\"image_size\":\"512x512\"}", images.request(r));
    }

    @Test
    void siliconFlowsOwnNamesWinAndAbsentFieldsStayAbsent() throws Exception {
        var r = Fixtures.request(Operation.IMAGES, "{\"model\":\"m\",\"prompt\":\"p\",\"n\":4,\"batch_size\":1,"
                + "\"image_size\":\"1024x1024\",\"size\":\"256x256\"}");
        assertJson("{\"model\":\"m\",\"prompt\":\"p\",\"batch_size\":1,\"image_size\":\"1024x1024\"}",
                images.request(r));
        var bare = Fixtures.request(Operation.IMAGES, "{\"model\":\"m\",\"prompt\":\"p\"}");
        assertJson("{\"model\":\"m\",\"prompt\":\"p\"}", images.request(bare));
    }

    @Test
    void base64ImagesAreRefusedBeforeAnyCall() {
        var r = Fixtures.request(Operation.IMAGES, "{\"model\":\"m\",\"prompt\":\"p\",\"response_format\":\"b64_json\"}");
        UpstreamErrorException e = assertThrows(UpstreamErrorException.class, () -> images.request(r));
        assertEquals(400, e.error().status());
        assertEquals("unsupported_parameter", e.error().code());
        assertEquals("response_format", e.error().param());
        assertTrue(e.error().retryable(), "a channel of another type may serve it");
        assertFalse(e.error().disableChannel());
    }

    @Test
    void imagesBecomeData() throws Exception {
        TranslatedResponse t = images.response(json("{\"images\":[{\"url\":\"https://img.example/1.png\"},"
                + "{\"url\":\"https://img.example/2.png\"}],\"timings\":{\"inference\":0.9},\"seed\":123}"), 1700000000);
        assertJson("{\"created\":1700000000,\"data\":[{\"url\":\"https://img.example/1.png\"},"
                + "{\"url\":\"https://img.example/2.png\"}]}", t.body());
        assertEquals(Usage.NONE, t.usage());
        TranslatedResponse data = images.response(json("{\"data\":[{\"url\":\"u\"}],\"created\":5}"), 1);
        assertJson("{\"created\":5,\"data\":[{\"url\":\"u\"}]}", data.body());
    }

    @Test
    void anAnswerWithoutImagesIsAnUpstreamError() {
        UpstreamErrorException e = assertThrows(UpstreamErrorException.class,
                () -> images.response(json("{\"images\":[]}"), 1));
        assertEquals(502, e.error().status());
    }
}
