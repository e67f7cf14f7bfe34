CREATE TYPE role AS ENUM ('viewer', 'editor', 'admin');
CREATE TYPE label AS ENUM ('new', 'old');

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    roles role[] NOT NULL DEFAULT '{viewer}',
    main role DEFAULT 'viewer',
    tags label[] DEFAULT '{new}'
);
