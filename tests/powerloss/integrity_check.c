// Prints the result of PRAGMA integrity_check on a SQLite database ("ok" when sound), with the
// system libsqlite3 the server links (so the tests need no sqlite3 command-line tool).
//   cc -O1 -o integrity_check integrity_check.c -lsqlite3
//   integrity_check DB        exit 0 when the answer is "ok"
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s DB\n", argv[0]);
    return 64;
  }
  sqlite3* db = NULL;
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
    fprintf(stderr, "cannot open %s: %s\n", argv[1], db ? sqlite3_errmsg(db) : "out of memory");
    return 1;
  }
  sqlite3_stmt* st = NULL;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
    fprintf(stderr, "%s: %s\n", argv[1], sqlite3_errmsg(db));
    return 1;
  }
  int ok = 1, rows = 0, rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char* line = (const char*)sqlite3_column_text(st, 0);
    printf("%s\n", line ? line : "(null)");
    if (!line || strcmp(line, "ok") != 0) ok = 0;
    rows++;
  }
  if (rc != SQLITE_DONE) {
    fprintf(stderr, "%s: %s\n", argv[1], sqlite3_errmsg(db));
    ok = 0;
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return ok && rows == 1 ? 0 : 1;
}
