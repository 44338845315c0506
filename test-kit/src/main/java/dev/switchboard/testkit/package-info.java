/**
 * Test helpers for provider plugin authors, used as a test-scope dependency (this is not a bundle and never
 * runs inside the gateway).
 *
 * <ul>
 *   <li>{@link dev.switchboard.testkit.FakeUpstream}: a loopback HTTP server that answers with scripted JSON,
 *       server-sent-event or error replies and records what it was sent;</li>
 *   <li>{@link dev.switchboard.testkit.TestChannel}, {@link dev.switchboard.testkit.TestRequest} and
 *       {@link dev.switchboard.testkit.JdkUpstreamClient}: the contract's inputs, built by hand;</li>
 *   <li>{@link dev.switchboard.testkit.AdapterDriver}: calls an adapter the way the gateway core does
 *       (prepare, send, translate the answer, the stream or the error) and returns what the client would get;</li>
 *   <li>{@link dev.switchboard.testkit.SseReader} and {@link dev.switchboard.testkit.OpenAiAssertions}: read
 *       event streams and check OpenAI shapes.</li>
 * </ul>
 *
 * <p>It depends on the api and Jackson only; assertions throw {@link java.lang.AssertionError}, so any test
 * framework reports them.
 */
package dev.switchboard.testkit;
