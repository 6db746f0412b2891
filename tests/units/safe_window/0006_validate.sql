-- 0006 validate: only the constraint's row changes (SHARE UPDATE
-- EXCLUSIVE: no lock the window would report).
-- migrate:up
SET lock_timeout = '5s';
ALTER TABLE rounds VALIDATE CONSTRAINT rounds_player_fk;

-- migrate:down
ALTER TABLE rounds DROP CONSTRAINT rounds_player_fk;
ALTER TABLE rounds ADD CONSTRAINT rounds_player_fk FOREIGN KEY (player_id) REFERENCES players (id) NOT VALID;
