-- The key transparency log (docs/transparency.md, "Relay integration"). Rows are only ever added,
-- in the transaction of the registration that causes them, so the log and the accounts it
-- describes never disagree on disk.
--
-- log_leaves: the leaf data, one LogEntry encoding per index; its handle column (the entry's
-- handle) with the index below finds a handle's newest entry and gives its next version.
CREATE TABLE log_leaves (
    idx INTEGER PRIMARY KEY,
    handle TEXT NOT NULL,
    entry BLOB NOT NULL
);

CREATE INDEX log_leaves_by_handle ON log_leaves(handle, idx);

-- log_nodes: the Merkle tree's NodeStore: node (level, idx) is the hash of the complete subtree
-- over leaves [idx * 2^level, (idx + 1) * 2^level); level 0 holds the leaf hashes.
CREATE TABLE log_nodes (
    level INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;
