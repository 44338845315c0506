/**
 * The {@code siliconcloud} channel type: SiliconFlow (SiliconCloud), China or international site. Chat,
 * completions, embeddings, speech and transcription pass through as OpenAI shapes; rerank and image generation
 * are translated; balance ({@code /user/info}) and the model list are side calls; SiliconFlow's own error bodies
 * become the relay contract's errors and routing verdicts. Depends on the api bundle and Jackson only.
 */
package dev.switchboard.plugin.siliconcloud;
