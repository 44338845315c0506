package dev.switchboard.core.relay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The request log line: one per relayed request, with no key and no upstream URL. */
public final class RequestLog implements OutcomeSink {

    private static final Logger LOG = LoggerFactory.getLogger("switchboard.requests");

    @Override
    public void settle(Outcome o) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        LOG.info("{} token={} channel={} model={} upstream_model={} stream={} status={} prompt_tokens={} "
                        + "completion_tokens={} first_byte_ms={} total_ms={} attempts={} client={}{}",
                o.requestId(), o.tokenId(), o.channelId(), o.model(), o.upstreamModel(), o.stream(), o.status(),
                o.usage().promptTokens(), o.usage().completionTokens(), o.firstByteMs(), o.totalMs(), o.attempts(), o.clientIp(),
                o.error() == null ? "" : " error=\"" + o.error().replace('"', '\'') + "\"");
    }
}
