/**
 * A provider plugin that misbehaves on demand, for the end-to-end tests: the model a request asks for says which
 * contract method fails and how. Everything else is a plain OpenAI-shaped translated relay, and every answer names
 * the bundle version that made it, so a test can tell an old plugin from its replacement.
 */
package dev.switchboard.testplugin.faulty;
