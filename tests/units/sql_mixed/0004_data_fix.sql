-- A data fix with no down section: irreversible.
-- migrate:up
UPDATE items SET note = upper(note) WHERE note LIKE 'x%';
