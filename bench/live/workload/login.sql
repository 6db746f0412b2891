-- a player logs in: find the account, note the visit
\set uid random(1, :users)
SELECT id, password FROM users WHERE login = 'player' || :uid;
UPDATE users SET last_visited = now() WHERE id = :uid;
