-- The creative-template catalog set by PUT /admin/v1/adcreative_templates.
-- One row; absent means the embedded default catalog.
CREATE TABLE catalog (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	version INTEGER NOT NULL,
	body    BLOB NOT NULL
);
