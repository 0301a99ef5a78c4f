-- Schema 3, for archives (docs/archive-format.md).
-- settings.name: the setting's name, sealed like its value, so an export can list every setting
-- (name_index is a one-way blind index). Rows written before schema 3 get it when next read.
ALTER TABLE settings ADD COLUMN name BLOB;

-- sessions.send_retired: 1 for a session restored from an archive. Such a session still decrypts
-- what its peer sends, but is never encrypted with again: the device that exported it may have
-- used the same sending chain, and reusing a chain would reuse message keys. The next send starts
-- a fresh session from the peer's prekeys (docs/archive-format.md, "Importing the account").
ALTER TABLE sessions ADD COLUMN send_retired INTEGER NOT NULL DEFAULT 0;
