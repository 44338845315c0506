-- The PostgreSQL store (store.type=postgres). Each record's configuration is kept whole as JSON (the same
-- encoding as the MapDB store), while the balances that write-behind accounting moves are columns of their own,
-- so a usage batch never rewrites, or races with, a configuration change.

CREATE TABLE meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);
-- The record format these tables hold (Store.SCHEMA_VERSION); Flyway's history keeps the DDL version.
INSERT INTO meta (key, value) VALUES ('schema_version', '2');

CREATE TABLE channels (
    id         bigserial PRIMARY KEY,
    body       jsonb  NOT NULL,
    used_quota bigint NOT NULL DEFAULT 0
);

CREATE TABLE tokens (
    id           bigserial PRIMARY KEY,
    body         jsonb  NOT NULL,
    remain_quota bigint NOT NULL DEFAULT 0,
    used_quota   bigint NOT NULL DEFAULT 0
);

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    body          jsonb  NOT NULL,
    quota         bigint NOT NULL DEFAULT 0,
    used_quota    bigint NOT NULL DEFAULT 0,
    request_count bigint NOT NULL DEFAULT 0
);

CREATE TABLE prices (
    model text PRIMARY KEY,
    body  jsonb NOT NULL
);

CREATE TABLE groups (
    name text PRIMARY KEY,
    body jsonb NOT NULL
);

-- Request and admin logs; ids sort by time (milliseconds times 1000 plus a sequence).
CREATE TABLE logs (
    id   bigint PRIMARY KEY,
    body jsonb NOT NULL
);
