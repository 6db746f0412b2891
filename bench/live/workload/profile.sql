-- a player's profile page: name and statistics
\set uid random(1, :users)
SELECT p.name, s.total_played, s.wins, s.max_straight_wins
  FROM profiles p JOIN statistics s USING (user_id) WHERE p.user_id = :uid;
