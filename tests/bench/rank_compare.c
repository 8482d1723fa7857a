/* SPDX-License-Identifier: Apache-2.0 */
/* rank_compare: for each MATCH expression given, the ids of the first 20
 * of the 2,000 newest matches by newsevent_rank and by FTS5's bm25, one
 * line each (rank_compare.py builds and drives it).
 *
 *     rank_compare STORE.db 'SCORED|MATCH' ... */
#include <stdio.h>
#include <stdlib.h>
#include <sqlite3.h>
#include "ne_search_rank.h"

#define CANDIDATES "WITH c AS MATERIALIZED (SELECT rowid AS id," \
    " newsevent_rank(events_search, ?2, " NE_RANK_WEIGHTS ") AS ours," \
    " bm25(events_search, " NE_RANK_WEIGHTS ") AS bm25 FROM events_search" \
    " WHERE events_search MATCH ?1 ORDER BY rowid DESC LIMIT 2000)" \
    " SELECT group_concat(id) FROM (SELECT id FROM c ORDER BY %s, id DESC LIMIT 20)"

static int top20(sqlite3 *db, const char *by, const char *arg)
{
    char sql[1024];
    sqlite3_stmt *st = NULL;

    snprintf(sql, sizeof(sql), CANDIDATES, by);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "rank_compare: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    sqlite3_bind_text(st, 1, arg + 2, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, atoi(arg));
    if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *ids = sqlite3_column_text(st, 0);
        printf("%s\n", ids ? (const char *)ids : "");
    }
    sqlite3_finalize(st);
    return 0;
}

int main(int argc, char **argv)
{
    sqlite3 *db = NULL;
    int i;

    if (argc < 2 || sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
        || ne_search_rank_register(db) != SQLITE_OK) {
        fprintf(stderr, "usage: rank_compare STORE.db 'SCORED|MATCH' ...\n");
        return 2;
    }
    for (i = 2; i < argc; i++) {
        if (top20(db, "ours", argv[i]) || top20(db, "bm25", argv[i])) {
            return 1;
        }
    }
    sqlite3_close(db);
    return 0;
}
