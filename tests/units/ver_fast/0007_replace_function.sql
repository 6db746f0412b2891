-- 0007 replace_function: the down replaces the function instead of
-- dropping it: broken, + the function.
-- migrate:up
CREATE FUNCTION answer() RETURNS integer LANGUAGE sql AS 'SELECT 42';

-- migrate:down
CREATE OR REPLACE FUNCTION answer() RETURNS integer LANGUAGE sql AS 'SELECT 41';
