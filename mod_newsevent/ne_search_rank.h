/* SPDX-License-Identifier: Apache-2.0 */
/* ne_search_rank: the relevance of a match on SQLite, an FTS5 auxiliary
 * function registered on each connection that searches:
 *
 *     newsevent_rank(events_search, scored, weight, ...)
 *
 * It is FTS5's bm25() (the same k1, b, column weights and sign: lower is
 * better) with two bounds, so that a common word costs no more to rank
 * than a rare one (tests/bench/README.md, "Search: relevance without a
 * pass over every match"):
 *   - only the query's first `scored` phrases count (the module puts the
 *     reader's terms first; a topic's name added to the MATCH, and the
 *     excluded terms, come after them);
 *   - a phrase's IDF reads at most NE_RANK_HITS of its matches: past them
 *     its number of matches is estimated from how far into the index (by
 *     rowid) they reached. With one scored phrase no IDF is read at all:
 *     it would scale every score alike. */
#ifndef NE_SEARCH_RANK_H
#define NE_SEARCH_RANK_H

#include <sqlite3.h>

#define NE_RANK_FUNCTION "newsevent_rank"
/* The weights of events_search's columns (headline, story, category,
 * body, topic names), as its SQL arguments: the headline first. */
#define NE_RANK_WEIGHTS "10.0, 2.0, 2.0, 1.0, 4.0"
#define NE_RANK_HITS 10000

/* Register newsevent_rank on db (once a connection). SQLITE_OK, or
 * SQLite's code when FTS5 is missing or refuses it. */
int ne_search_rank_register(sqlite3 *db);

#endif
