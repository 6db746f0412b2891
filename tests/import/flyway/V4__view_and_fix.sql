CREATE VIEW user_cities AS
	SELECT id, profile #>> '{address,city}' AS city FROM users;

INSERT INTO users (login, profile) VALUES ('admin', '{"address": {"city": "Oslo"}}');
UPDATE users SET profile = profile #- '{legacy}' WHERE profile ? 'legacy';
SELECT setval(pg_get_serial_sequence('users', 'id'), 100);
