-- Per-token request budgets of each wall-clock minute, leased by the nodes in slices: `requests` is what all nodes
-- together took of the minute (never more than the token's rpm), `slice` what the last lease took. Only the current
-- and the previous minute matter; older rows are deleted.
CREATE TABLE rate_leases (
    token_id     bigint NOT NULL,
    window_index bigint NOT NULL,
    requests     bigint NOT NULL,
    slice        bigint NOT NULL,
    PRIMARY KEY (token_id, window_index)
);
