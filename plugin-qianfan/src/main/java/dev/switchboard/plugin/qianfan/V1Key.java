package dev.switchboard.plugin.qianfan;

import dev.switchboard.api.provider.UpstreamErrorException;

/**
 * A v1 channel's key, {@code API_KEY|SECRET_KEY}: the client id and secret of the token exchange.
 *
 * @param apiKey the API key (client id)
 * @param secretKey the secret key (client secret)
 */
record V1Key(String apiKey, String secretKey) {

    /**
     * @param key the channel's key
     * @return the pair
     * @throws UpstreamErrorException when the key has another form: the channel's fault, so it is disabled
     */
    static V1Key parse(String key) throws UpstreamErrorException {
        String k = key == null ? "" : key.trim();
        int bar = k.indexOf('|');
        if (bar <= 0 || bar == k.length() - 1 || k.indexOf('|', bar + 1) >= 0) {
            String hint = k.startsWith("bce-v3/") ? "; this looks like a v2 key: set config.api_version to v2" : "";
            throw new UpstreamErrorException(V1Errors.badChannelKey(
                    "the channel's key must be API_KEY|SECRET_KEY for api_version v1" + hint));
        }
        return new V1Key(k.substring(0, bar).trim(), k.substring(bar + 1).trim());
    }

    @Override
    public String toString() {
        // Never the secret.
        return "V1Key[" + apiKey.substring(0, Math.min(4, apiKey.length())) + "...]";
    }
}
