-- a game ends: update the player's statistics
\set uid random(1, :users)
\set won random(0, 1)
UPDATE statistics SET total_played = total_played + 1, wins = wins + :won,
  cur_straight_wins = CASE WHEN :won = 1 THEN cur_straight_wins + 1 ELSE 0 END
  WHERE user_id = :uid;
