/**
 * The {@code qianfan} channel type: Baidu Qianfan (ERNIE). A channel speaks one of two APIs, chosen by its
 * {@code config.api_version}:
 * <ul>
 *   <li><b>v1</b> (wenxinworkshop): the key {@code API_KEY|SECRET_KEY} is exchanged for an access token through
 *   the core's side-call client (cached per channel, fetched once however many requests arrive together,
 *   refreshed ahead of expiry, dropped on error_code 110/111); requests, answers, {@code is_end} streams and
 *   the HTTP-200 {@code error_code} bodies are translated to and from OpenAI's shapes.</li>
 *   <li><b>v2</b> (OpenAI-compatible): chat and float embeddings are pass-through calls with Qianfan's auth
 *   headers; base64 embeddings and rerank are translated so clients get the shapes of the relay contract.</li>
 * </ul>
 * Depends on the plugin api and Jackson only; holds no static mutable state.
 */
package dev.switchboard.plugin.qianfan;
