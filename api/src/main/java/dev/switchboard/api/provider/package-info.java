/**
 * The provider plugin contract: what a bundle implements to add a channel type (a vendor) to Switchboard.
 *
 * <p>A plugin registers one {@link dev.switchboard.api.provider.ProviderAdapter} service per channel type,
 * usually as a Declarative Services component. The gateway core owns all network I/O, timeouts, retries and
 * routing; an adapter only describes its channel type and converts requests, responses, stream events and
 * errors between the OpenAI shapes clients speak and the vendor's wire format. Where a request needs a call
 * of its own first (a token exchange), the adapter makes it through the core's {@link
 * dev.switchboard.api.provider.UpstreamClient} and returns a {@link java.util.concurrent.CompletionStage}, so
 * no gateway thread ever blocks on a plugin.
 *
 * <p>JSON appears as Jackson 2 tree nodes; no other third-party type is part of this package. The package
 * follows semantic versioning: a change that breaks implementers bumps the major version.
 */
@Version("1.0.0")
@Export
package dev.switchboard.api.provider;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
