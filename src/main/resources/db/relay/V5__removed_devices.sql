-- Devices removed from their account's signed device list (unlinking, docs/devices.md): their
-- rows in devices are deleted with their prekeys and mailbox; this table keeps the id taken so
-- the removed device is told why it can no longer authenticate, and cannot register it again.
CREATE TABLE removed_devices (
    account INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    device_id INTEGER NOT NULL,
    removed_at INTEGER NOT NULL,
    PRIMARY KEY (account, device_id)
) WITHOUT ROWID;
