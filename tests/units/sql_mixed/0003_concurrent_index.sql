-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY items_note_idx ON items (note);

-- migrate:down
DROP INDEX CONCURRENTLY items_note_idx;
