CREATE TABLE counters (
    id INT PRIMARY KEY,
    n INT NOT NULL DEFAULT 0
);

-- Same event in another spelling: no change.
create event tick on schedule every 1 day
  on completion not preserve enable
do update counters set n = n + 1 where id = 1;

-- The body and the comment change: dropped and made again.
CREATE EVENT sweep ON SCHEDULE EVERY 1 HOUR STARTS '2030-01-01 00:00:00'
    ON COMPLETION PRESERVE DISABLE COMMENT 'clears older rows'
DO BEGIN
    DELETE FROM counters WHERE n > 50;
END;

CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 03:00:00' ENDS '2031-01-01 03:00:00'
DO INSERT INTO counters (id, n) VALUES (9, 0) ON DUPLICATE KEY UPDATE n = 0;
