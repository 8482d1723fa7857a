/* SPDX-License-Identifier: Apache-2.0 */
/* ne_date: calendar dates as the archive uses them (YYYY-MM-DD). */
#ifndef NE_DATE_H
#define NE_DATE_H

#include <apr.h>
#include <apr_time.h>

typedef struct ne_date {
    int year;   /* 1..9999 */
    int month;  /* 1..12 */
    int day;    /* 1..31 */
} ne_date_t;

/* True for a real calendar date (2017-02-29 is not). */
int ne_date_valid(int year, int month, int day);

/* Parse exactly "YYYY-MM-DD" (len bytes); true when it is a real date. */
int ne_date_parse(const char *s, apr_size_t len, ne_date_t *out);

/* Parse "YYYY<sep>MM<sep>DD" at s (more may follow); true for a real date. */
int ne_date_parse_sep(const char *s, char sep, ne_date_t *out);

/* Days since 1970-01-01 (negative before): the store's sortable day. */
long ne_date_days(const ne_date_t *d);

/* Write "YYYY-MM-DD" and a NUL into out[11]. */
void ne_date_format(const ne_date_t *d, char out[11]);

/* Parse "YYYY-MM-DDTHH:MM:SSZ" (UTC); true when it is a real time. */
int ne_timestamp_parse(const char *ts, apr_time_t *out);

/* The time "YYYY-MM-DDTHH:MM:SSZ" names, or 0 when it names none. */
apr_time_t ne_timestamp_time(const char *ts);

/* Now, as a record's timestamp: "YYYY-MM-DDTHH:MM:SSZ" (UTC), in pool. */
const char *ne_timestamp_now(apr_pool_t *pool);

#endif
