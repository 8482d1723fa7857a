/* SPDX-License-Identifier: Apache-2.0 */
/* ne_search_rank: bm25 with a bounded IDF (ne_search_rank.h says why). The
 * formula and its constants are those of SQLite's fts5_aux.c, so that with
 * one scored phrase the order is bm25's own. */
#include "ne_search_rank.h"

#include <math.h>
#include <string.h>

#define NE_RANK_K1 1.2
#define NE_RANK_B 0.75

/* What one query's rows share: computed at its first row. */
typedef struct ne_rank_query {
    int scored;          /* phrases that count */
    double avgdl;        /* tokens a row, over the whole table */
    double idf[1];       /* one a scored phrase */
} ne_rank_query_t;

typedef struct ne_rank_hits {
    sqlite3_int64 hits, last;
} ne_rank_hits_t;

static int ne_rank_count(const Fts5ExtensionApi *api, Fts5Context *fts, void *data)
{
    ne_rank_hits_t *h = data;

    h->last = api->xRowid(fts);
    return ++h->hits >= NE_RANK_HITS ? SQLITE_DONE : SQLITE_OK;
}

/* A phrase's IDF as bm25 has it, its matches counted up to NE_RANK_HITS
 * (FTS5 reads them by rowid, oldest first) and past that estimated: the
 * share of the table they fill up to the last one read, over all rows. */
static int ne_rank_idf(const Fts5ExtensionApi *api, Fts5Context *fts, int phrase,
                       sqlite3_int64 rows, double *idf)
{
    ne_rank_hits_t h = {0, 0};
    double n;
    int rc = api->xQueryPhrase(fts, phrase, &h, ne_rank_count);

    if (rc != SQLITE_OK) {
        return rc;
    }
    n = (double)h.hits;
    if (h.hits >= NE_RANK_HITS && h.last > 0) {
        n = n * (double)rows / (double)h.last;
        n = n > (double)rows ? (double)rows : n;
    }
    *idf = log(((double)rows - n + 0.5) / (n + 0.5));
    *idf = *idf > 0.0 ? *idf : 1e-6;
    return SQLITE_OK;
}

static int ne_rank_prepare(const Fts5ExtensionApi *api, Fts5Context *fts, int scored,
                           ne_rank_query_t **out)
{
    ne_rank_query_t *q;
    sqlite3_int64 rows = 0, tokens = 0;
    int rc, i;

    if ((rc = api->xRowCount(fts, &rows)) != SQLITE_OK
        || (rc = api->xColumnTotalSize(fts, -1, &tokens)) != SQLITE_OK) {
        return rc;
    }
    q = sqlite3_malloc64(sizeof(*q) + sizeof(double) * (size_t)scored);
    if (q == NULL) {
        return SQLITE_NOMEM;
    }
    q->scored = scored;
    q->avgdl = rows > 0 && tokens > 0 ? (double)tokens / (double)rows : 1.0;
    for (i = 0; i < scored; i++) {
        q->idf[i] = 1.0;
        if (scored > 1 && (rc = ne_rank_idf(api, fts, i, rows, &q->idf[i])) != SQLITE_OK) {
            sqlite3_free(q);
            return rc;
        }
    }
    if ((rc = api->xSetAuxdata(fts, q, sqlite3_free)) == SQLITE_OK) {
        *out = q;
    }
    return rc;
}

/* The phrases' weighted hits in this row (a hit counts its column's
 * weight), then bm25's sum over the scored phrases. */
static int ne_rank_row(const Fts5ExtensionApi *api, Fts5Context *fts,
                       const ne_rank_query_t *q, int nval, sqlite3_value **weights,
                       double *score)
{
    double freq[64] = {0}, *f = freq, d;
    int inst = 0, i, size = 0, rc;

    if (q->scored > 64 && (f = sqlite3_malloc64(sizeof(double) * (size_t)q->scored)) == NULL) {
        return SQLITE_NOMEM;
    }
    memset(f, 0, sizeof(double) * (size_t)q->scored);
    rc = api->xInstCount(fts, &inst);
    for (i = 0; rc == SQLITE_OK && i < inst; i++) {
        int phrase, col, off;
        if ((rc = api->xInst(fts, i, &phrase, &col, &off)) == SQLITE_OK && phrase < q->scored) {
            f[phrase] += col < nval ? sqlite3_value_double(weights[col]) : 1.0;
        }
    }
    if (rc == SQLITE_OK) {
        rc = api->xColumnSize(fts, -1, &size);
    }
    d = (double)size;
    *score = 0.0;
    for (i = 0; rc == SQLITE_OK && i < q->scored; i++) {
        *score += q->idf[i] * (f[i] * (NE_RANK_K1 + 1.0))
                  / (f[i] + NE_RANK_K1 * (1.0 - NE_RANK_B + NE_RANK_B * d / q->avgdl));
    }
    if (f != freq) {
        sqlite3_free(f);
    }
    return rc;
}

static void ne_rank_function(const Fts5ExtensionApi *api, Fts5Context *fts,
                             sqlite3_context *ctx, int nval, sqlite3_value **val)
{
    ne_rank_query_t *q = api->xGetAuxdata(fts, 0);
    int phrases = api->xPhraseCount(fts), scored, rc = SQLITE_OK;
    double score = 0.0;

    if (nval < 1) {
        sqlite3_result_error(ctx, NE_RANK_FUNCTION ": the number of scored phrases is missing",
                             -1);
        return;
    }
    scored = sqlite3_value_int(val[0]);
    scored = scored < 0 || scored > phrases ? phrases : scored;
    if (q == NULL) {
        rc = ne_rank_prepare(api, fts, scored, &q);
    }
    if (rc == SQLITE_OK) {
        rc = ne_rank_row(api, fts, q, nval - 1, val + 1, &score);
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    sqlite3_result_double(ctx, -score);
}

/* The documented way to reach FTS5's API: SELECT fts5(?) hands it back
 * through a bound pointer. */
int ne_search_rank_register(sqlite3 *db)
{
    fts5_api *fts5 = NULL;
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_pointer(stmt, 1, (void *)&fts5, "fts5_api_ptr", NULL);
        rc = sqlite3_step(stmt) == SQLITE_ROW ? SQLITE_OK : sqlite3_errcode(db);
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_OK || fts5 == NULL || fts5->iVersion < 2) {
        return rc != SQLITE_OK ? rc : SQLITE_ERROR;
    }
    return fts5->xCreateFunction(fts5, NE_RANK_FUNCTION, NULL, ne_rank_function, NULL);
}
