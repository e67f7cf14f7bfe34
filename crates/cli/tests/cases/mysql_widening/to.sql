CREATE TABLE post (
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    state ENUM('draft', 'live', 'gone') NOT NULL DEFAULT 'draft',
    body LONGTEXT,
    views BIGINT UNSIGNED NOT NULL DEFAULT 0,
    level SMALLINT
);
