-- A music shop, written for wildebeest's tests in the shape of the classic
-- sample databases that exist in one version per database; not any published schema.

CREATE TABLE artist (
    artist_id INTEGER NOT NULL,
    name NVARCHAR(120),
    CONSTRAINT pk_artist PRIMARY KEY (artist_id)
);

CREATE TABLE album (
    album_id INTEGER NOT NULL,
    title NVARCHAR(160) NOT NULL,
    artist_id INTEGER NOT NULL,
    CONSTRAINT pk_album PRIMARY KEY (album_id),
    CONSTRAINT fk_album_artist FOREIGN KEY (artist_id) REFERENCES artist (artist_id)
);
CREATE INDEX ifk_album_artist ON album (artist_id);

CREATE TABLE genre (
    genre_id INTEGER NOT NULL,
    name NVARCHAR(120),
    CONSTRAINT pk_genre PRIMARY KEY (genre_id)
);

CREATE TABLE media_type (
    media_type_id INTEGER NOT NULL,
    name NVARCHAR(120),
    CONSTRAINT pk_media_type PRIMARY KEY (media_type_id)
);

CREATE TABLE track (
    track_id INTEGER NOT NULL,
    name NVARCHAR(200) NOT NULL,
    album_id INTEGER,
    media_type_id INTEGER NOT NULL,
    genre_id INTEGER,
    composer NVARCHAR(220),
    milliseconds INTEGER NOT NULL,
    bytes INTEGER,
    unit_price NUMERIC(10,2) NOT NULL,
    CONSTRAINT pk_track PRIMARY KEY (track_id),
    CONSTRAINT fk_track_album FOREIGN KEY (album_id) REFERENCES album (album_id),
    CONSTRAINT fk_track_genre FOREIGN KEY (genre_id) REFERENCES genre (genre_id),
    CONSTRAINT fk_track_media_type FOREIGN KEY (media_type_id) REFERENCES media_type (media_type_id)
);
CREATE INDEX ifk_track_album ON track (album_id);
CREATE INDEX ifk_track_genre ON track (genre_id);
CREATE INDEX ifk_track_media_type ON track (media_type_id);

CREATE TABLE employee (
    employee_id INTEGER NOT NULL,
    last_name NVARCHAR(20) NOT NULL,
    first_name NVARCHAR(20) NOT NULL,
    title NVARCHAR(30),
    reports_to INTEGER,
    birth_date DATETIME,
    hire_date DATETIME,
    address NVARCHAR(70),
    city NVARCHAR(40),
    country NVARCHAR(40),
    email NVARCHAR(60),
    CONSTRAINT pk_employee PRIMARY KEY (employee_id),
    CONSTRAINT fk_employee_reports_to FOREIGN KEY (reports_to) REFERENCES employee (employee_id)
);
CREATE INDEX ifk_employee_reports_to ON employee (reports_to);

CREATE TABLE customer (
    customer_id INTEGER NOT NULL,
    first_name NVARCHAR(40) NOT NULL,
    last_name NVARCHAR(20) NOT NULL,
    company NVARCHAR(80),
    city NVARCHAR(40),
    country NVARCHAR(40),
    email NVARCHAR(60) NOT NULL,
    support_rep_id INTEGER,
    CONSTRAINT pk_customer PRIMARY KEY (customer_id),
    CONSTRAINT fk_customer_support_rep FOREIGN KEY (support_rep_id) REFERENCES employee (employee_id)
);
CREATE INDEX ifk_customer_support_rep ON customer (support_rep_id);

CREATE TABLE invoice (
    invoice_id INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    invoice_date DATETIME NOT NULL,
    billing_city NVARCHAR(40),
    billing_country NVARCHAR(40),
    total NUMERIC(10,2) NOT NULL,
    CONSTRAINT pk_invoice PRIMARY KEY (invoice_id),
    CONSTRAINT fk_invoice_customer FOREIGN KEY (customer_id) REFERENCES customer (customer_id)
);
CREATE INDEX ifk_invoice_customer ON invoice (customer_id);

CREATE TABLE invoice_line (
    invoice_line_id INTEGER NOT NULL,
    invoice_id INTEGER NOT NULL,
    track_id INTEGER NOT NULL,
    unit_price NUMERIC(10,2) NOT NULL,
    quantity INTEGER NOT NULL,
    CONSTRAINT pk_invoice_line PRIMARY KEY (invoice_line_id),
    CONSTRAINT fk_invoice_line_invoice FOREIGN KEY (invoice_id) REFERENCES invoice (invoice_id),
    CONSTRAINT fk_invoice_line_track FOREIGN KEY (track_id) REFERENCES track (track_id)
);
CREATE INDEX ifk_invoice_line_invoice ON invoice_line (invoice_id);
CREATE INDEX ifk_invoice_line_track ON invoice_line (track_id);

CREATE TABLE playlist (
    playlist_id INTEGER NOT NULL,
    name NVARCHAR(120),
    CONSTRAINT pk_playlist PRIMARY KEY (playlist_id)
);

CREATE TABLE playlist_track (
    playlist_id INTEGER NOT NULL,
    track_id INTEGER NOT NULL,
    CONSTRAINT pk_playlist_track PRIMARY KEY (playlist_id, track_id),
    CONSTRAINT fk_playlist_track_playlist FOREIGN KEY (playlist_id) REFERENCES playlist (playlist_id),
    CONSTRAINT fk_playlist_track_track FOREIGN KEY (track_id) REFERENCES track (track_id)
);
CREATE INDEX ifk_playlist_track_track ON playlist_track (track_id);
