/**
 * The {@code qwen} channel type: Alibaba DashScope (Model Studio). A channel runs in compatible mode (the
 * OpenAI-compatible endpoint, mostly pass-through) or native mode (DashScope's own protocol, translated both
 * ways); rerank always uses the native service. Depends on the plugin api and Jackson only.
 */
package dev.switchboard.plugin.qwen;
