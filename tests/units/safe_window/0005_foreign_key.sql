-- 0005 foreign_key: NOT VALID, then dropped: constraint and trigger rows
-- deleted in the down step.
-- migrate:up
SET lock_timeout = '5s';
ALTER TABLE rounds ADD CONSTRAINT rounds_player_fk FOREIGN KEY (player_id) REFERENCES players (id) NOT VALID;

-- migrate:down
ALTER TABLE rounds DROP CONSTRAINT rounds_player_fk;
