-- The relay's state: who is registered, their public prekeys, and sealed envelopes waiting for
-- their device. No message content is readable here: envelopes are encrypted to the recipient.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    handle TEXT NOT NULL UNIQUE,
    account_key BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    account INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    device_id INTEGER NOT NULL,
    device_key BLOB NOT NULL,
    access_key BLOB NOT NULL,
    signed_prekey BLOB,
    last_resort_kem_prekey BLOB,
    mailbox_count INTEGER NOT NULL DEFAULT 0,
    mailbox_bytes INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (account, device_id)
);

CREATE TABLE one_time_prekeys (
    device INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    key_id INTEGER NOT NULL,
    encoded BLOB NOT NULL,
    PRIMARY KEY (device, key_id)
) WITHOUT ROWID;

CREATE TABLE kem_prekeys (
    device INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    key_id INTEGER NOT NULL,
    encoded BLOB NOT NULL,
    PRIMARY KEY (device, key_id)
) WITHOUT ROWID;

-- seq orders a mailbox; AUTOINCREMENT so a deleted seq is never reused while a connection's cursor points past it
CREATE TABLE envelopes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    device INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    envelope_id TEXT NOT NULL UNIQUE,
    received_at INTEGER NOT NULL,
    body BLOB NOT NULL
);

CREATE INDEX envelopes_by_device ON envelopes(device, seq);

CREATE INDEX envelopes_by_age ON envelopes(received_at);
