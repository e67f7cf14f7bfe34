CREATE TABLE authors (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL);
-- The key on author_id becomes deferred to commit, the one on editor_id no longer
-- deferrable, a new column has a deferred key, and a new table has a deferred key
-- written on its column (as Django writes every foreign key) and one written as a
-- table constraint.
CREATE TABLE books (
    id INTEGER PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    author_id INTEGER NOT NULL REFERENCES authors (id) DEFERRABLE INITIALLY DEFERRED,
    editor_id INTEGER REFERENCES authors (id),
    translator_id INTEGER REFERENCES authors (id) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    book_id INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    reviewer_id INTEGER NOT NULL,
    CONSTRAINT reviews_reviewer FOREIGN KEY (reviewer_id) REFERENCES authors (id) DEFERRABLE INITIALLY IMMEDIATE
);
