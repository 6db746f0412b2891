DELETE FROM users WHERE login = 'admin';
DROP VIEW user_cities;
