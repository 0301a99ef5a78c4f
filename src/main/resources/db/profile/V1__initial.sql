-- Vouch profile store, schema 1. Every BLOB named data, record, body or secrets is AES-256-GCM
-- sealed (nonce || ciphertext || tag) with associated data binding table, column, row id and the
-- row's lookup key; *_index columns are HMAC blind indexes. See docs/storage.md.

CREATE TABLE vault (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    format INTEGER NOT NULL,
    kdf_memory_kib INTEGER NOT NULL,
    kdf_iterations INTEGER NOT NULL,
    kdf_parallelism INTEGER NOT NULL,
    salt BLOB NOT NULL,
    wrapped_key BLOB NOT NULL
);

CREATE TABLE settings (
    id INTEGER PRIMARY KEY,
    name_index BLOB NOT NULL UNIQUE,
    data BLOB NOT NULL
);

CREATE TABLE account (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    secrets BLOB NOT NULL
);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    handle_index BLOB NOT NULL UNIQUE,
    data BLOB NOT NULL
);

CREATE TABLE key_events (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    data BLOB NOT NULL
);
CREATE INDEX key_events_by_contact ON key_events (contact_id, id);

CREATE TABLE identities (
    id INTEGER PRIMARY KEY,
    address_index BLOB NOT NULL UNIQUE,
    data BLOB NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    address_index BLOB NOT NULL UNIQUE,
    record BLOB NOT NULL
);

CREATE TABLE prekeys (
    id INTEGER PRIMARY KEY,
    kind INTEGER NOT NULL,
    key_id INTEGER NOT NULL,
    record BLOB NOT NULL,
    UNIQUE (kind, key_id)
);

-- Base keys a last-resort ML-KEM prekey already set up sessions with (replay refusal), until it is replaced.
CREATE TABLE kem_prekey_uses (
    id INTEGER PRIMARY KEY,
    key_id INTEGER NOT NULL,
    base_key_index BLOB NOT NULL,
    UNIQUE (key_id, base_key_index)
);

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    peer_index BLOB NOT NULL UNIQUE,
    data BLOB NOT NULL,
    last_message_id INTEGER NOT NULL DEFAULT 0,
    message_count INTEGER NOT NULL DEFAULT 0,
    unread INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conversations_by_activity ON conversations (last_message_id);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    uid_index BLOB NOT NULL UNIQUE,
    status INTEGER NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, id);

-- Search index snapshots (see docs/search.md): the encrypted serialized index, in chunks.
CREATE TABLE search_snapshot (
    id INTEGER PRIMARY KEY,
    data BLOB NOT NULL
);
