/* SPDX-License-Identifier: Apache-2.0 */
/* The search query translation: whatever a reader types is a query or a
 * clear refusal, and every query is one FTS5 accepts: each translation is
 * run against a real in-memory FTS5 table (no syntax error, ever). */
#include "fuzz_common.h"
#include "ne_search.h"

#include <stdio.h>
#include <string.h>
#include <sqlite3.h>

static sqlite3 *ne_fuzz_db(void)
{
    static sqlite3 *db = NULL;

    if (db == NULL) {
        NE_FUZZ_ASSERT(sqlite3_open(":memory:", &db) == SQLITE_OK);
        NE_FUZZ_ASSERT(sqlite3_exec(db, "CREATE VIRTUAL TABLE s USING fts5(headline, body, "
                                    "tokenize='porter unicode61 remove_diacritics 2');"
                                    "INSERT INTO s VALUES ('Omar al-Bashir visits Russia',"
                                    " 'C++ and caf\xC3\xA9s');", NULL, NULL, NULL) == SQLITE_OK);
    }
    return db;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = ne_fuzz_pool();
    const char *q = ne_fuzz_str(p, data, size), *why = NULL, *fts5, *web;
    ne_search_t *s = ne_search_parse(p, q, &why);
    sqlite3_stmt *stmt = NULL;
    int rc;

    if (s == NULL) {
        NE_FUZZ_ASSERT(why != NULL && *why);
        apr_pool_destroy(p);
        return 0;
    }
    fts5 = ne_search_fts5(p, s);
    web = ne_search_websearch(p, s);
    NE_FUZZ_ASSERT(*fts5 && *web && s->text && *s->text);
    NE_FUZZ_ASSERT(strlen(web) < 4 * strlen(q) + 64);
    NE_FUZZ_ASSERT(sqlite3_prepare_v2(ne_fuzz_db(), "SELECT rowid FROM s WHERE s MATCH ?", -1,
                                      &stmt, NULL) == SQLITE_OK);
    sqlite3_bind_text(stmt, 1, fts5, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "FTS5 refused %s (from %s): %s\n", fts5, q,
                sqlite3_errmsg(ne_fuzz_db()));
    }
    NE_FUZZ_ASSERT(rc == SQLITE_DONE);
    sqlite3_finalize(stmt);
    apr_pool_destroy(p);
    return 0;
}
