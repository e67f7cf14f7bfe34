CREATE TYPE role AS ENUM ('viewer', 'editor');
CREATE TYPE tag AS ENUM ('new', 'old');

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    roles role[] NOT NULL DEFAULT '{viewer}',
    main role DEFAULT 'viewer',
    tags tag[]
);
