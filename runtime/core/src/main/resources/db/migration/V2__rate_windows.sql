-- Per-token rate-limit counts of each node per wall-clock minute, exchanged every few hundred milliseconds so a
-- token's rpm/tpm hold across nodes. Only the current and the previous minute matter; older rows are deleted.
CREATE TABLE rate_windows (
    token_id     bigint NOT NULL,
    node         text   NOT NULL,
    window_index bigint NOT NULL,
    requests     bigint NOT NULL DEFAULT 0,
    tokens       bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (token_id, node, window_index)
);
