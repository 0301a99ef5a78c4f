-- first version of a throwaway schema used to test the migration runner
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL
);
