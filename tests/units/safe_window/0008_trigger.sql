-- 0008 trigger: a trigger on an earlier table (pg_trigger only).
-- migrate:up
SET lock_timeout = '5s';
CREATE FUNCTION rooms_touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER rooms_touch BEFORE UPDATE ON rooms FOR EACH ROW EXECUTE FUNCTION rooms_touch();

-- migrate:down
DROP TRIGGER rooms_touch ON rooms;
DROP FUNCTION rooms_touch();
