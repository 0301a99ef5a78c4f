package dev.vouch.store;

/**
 * A stored value failed authentication: the row was tampered with, damaged on disk, or moved from
 * another row or column. Names the damaged item; the rest of the store stays readable.
 */
public final class IntegrityException extends StoreException {
    private final String table;
    private final String column;
    private final long rowId;

    public IntegrityException(String table, String column, long rowId) {
        super("damaged data in " + table + "." + column + " of row " + rowId
                + ": it fails authentication (tampered with or corrupted)");
        this.table = table;
        this.column = column;
        this.rowId = rowId;
    }

    public String table() {
        return table;
    }

    public String column() {
        return column;
    }

    public long rowId() {
        return rowId;
    }
}
