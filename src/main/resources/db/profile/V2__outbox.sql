-- Schema 2: the outbox. Every envelope waits here, sealed like every other secret column, from
-- the transaction that encrypted it until the relay accepts it (docs/storage.md, "Outbox").
-- message_id is 0 for envelopes that carry no stored message (delivery receipts).

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX outbox_by_message ON outbox (message_id);
