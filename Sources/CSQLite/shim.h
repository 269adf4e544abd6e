#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast macro Swift cannot import: sqlite3 copies the bound bytes. */
static inline sqlite3_destructor_type owatch_sqlite_transient(void) { return SQLITE_TRANSIENT; }
