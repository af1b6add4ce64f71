package postgres

// SetMultiRowInsert switches the group commit's action writes from COPY to
// the multi-row INSERT, for the benchmark comparing them.
func (db *DB) SetMultiRowInsert(on bool) { db.multiRowInsert = on }
