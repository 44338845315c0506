/**
 * The {@code openai} channel type: OpenAI and any OpenAI-compatible base URL. Every operation is a
 * pass-through call; the adapter sets the credentials and translates OpenAI-shaped errors into verdicts.
 */
package dev.switchboard.plugin.openai;
