-- The seven statements of the Red7 notebook (shared/seed/red7_notebook.txt),
-- copied as they ran there, in the same order, in one transaction.
BEGIN;
CREATE TABLE IF NOT EXISTS users (
    id SERIAL PRIMARY KEY,
    login VARCHAR(50) UNIQUE NOT NULL,
    password VARCHAR(255) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    last_visited TIMESTAMP WITH TIME ZONE
);
CREATE TABLE IF NOT EXISTS profiles (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    name VARCHAR(100) NOT NULL,
    avatar VARCHAR(255)
);
CREATE TABLE IF NOT EXISTS statistics (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    total_played INTEGER DEFAULT 0,
    wins INTEGER DEFAULT 0,
    cur_straight_wins INTEGER DEFAULT 0,
    max_straight_wins INTEGER DEFAULT 0
);
CREATE TABLE IF NOT EXISTS achievements (
    id SERIAL PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    description TEXT
);
CREATE TABLE user_achievements (
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    achievement_id INTEGER REFERENCES achievements(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, achievement_id)
);
CREATE TABLE IF NOT EXISTS game_rooms (
    room_id SERIAL PRIMARY KEY,
    assigned_id VARCHAR(50) UNIQUE NOT NULL,
    password VARCHAR(100) DEFAULT '00000',
    game_state VARCHAR(20) NOT NULL DEFAULT 'waiting'
        CHECK (game_state IN ('waiting', 'playing', 'finished'))
);
CREATE TABLE user_room (
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    room_id INTEGER REFERENCES game_rooms(room_id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, room_id)
);
COMMIT;
