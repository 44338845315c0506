package dev.switchboard.core.channel;

import dev.switchboard.api.provider.Balance;
import dev.switchboard.core.store.ChannelRecord;
import java.time.Instant;

/** Records a balance read from the vendor on its channel. */
final class Balances {

    private Balances() {
    }

    static ChannelRecord apply(ChannelRecord c, Balance b) {
        return new ChannelRecord(c.id(), c.name(), c.type(), c.keyCipher(), c.keyMasked(), c.baseUrl(), c.models(),
                c.modelMapping(), c.groups(), c.priority(), c.weight(), c.status(), c.statusReason(), c.config(),
                c.proxy(), c.responseTimeMs(), b.amount(), b.currency(), Instant.now().getEpochSecond(),
                c.usedQuota(), c.createdAt(), c.timeouts());
    }
}
