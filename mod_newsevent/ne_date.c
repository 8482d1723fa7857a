/* SPDX-License-Identifier: Apache-2.0 */
#include "ne_date.h"

#include <apr_strings.h>

#include <string.h>
#include <apr_lib.h>

static int ne_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int ne_date_valid(int year, int month, int day)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int max;

    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) {
        return 0;
    }
    max = mdays[month - 1] + (month == 2 && ne_leap(year));
    return day <= max;
}

static int ne_digits(const char *s, int n, int *out)
{
    int v = 0, i;

    for (i = 0; i < n; i++) {
        if (!apr_isdigit(s[i])) {
            return 0;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

int ne_date_parse_sep(const char *s, char sep, ne_date_t *out)
{
    if (!ne_digits(s, 4, &out->year) || s[4] != sep
        || !ne_digits(s + 5, 2, &out->month) || s[7] != sep
        || !ne_digits(s + 8, 2, &out->day)) {
        return 0;
    }
    return ne_date_valid(out->year, out->month, out->day);
}

int ne_date_parse(const char *s, apr_size_t len, ne_date_t *out)
{
    return len == 10 && ne_date_parse_sep(s, '-', out);
}

/* Howard Hinnant's days_from_civil. */
long ne_date_days(const ne_date_t *d)
{
    long y = d->year - (d->month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (d->month + 9) % 12;
    long doy = (153 * mp + 2) / 5 + d->day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

void ne_date_format(const ne_date_t *d, char out[11])
{
    int v[3] = {d->year, d->month, d->day};
    int width[3] = {4, 2, 2};
    int i, j, pos = 0;

    for (i = 0; i < 3; i++) {
        int x = v[i];
        for (j = width[i] - 1; j >= 0; j--) {
            out[pos + j] = (char)('0' + x % 10);
            x /= 10;
        }
        pos += width[i];
        if (i < 2) {
            out[pos++] = '-';
        }
    }
    out[10] = '\0';
}

int ne_timestamp_parse(const char *ts, apr_time_t *out)
{
    apr_time_exp_t tm = {0};
    apr_time_t t;
    ne_date_t d;
    int hh, mm, ss;

    if (ts == NULL || strlen(ts) != 20 || !ne_date_parse(ts, 10, &d) || ts[10] != 'T'
        || !ne_digits(ts + 11, 2, &hh) || ts[13] != ':' || !ne_digits(ts + 14, 2, &mm) || ts[16] != ':' || !ne_digits(ts + 17, 2, &ss)
        || ts[19] != 'Z' || hh > 23 || mm > 59 || ss > 60) {
        return 0;
    }
    tm.tm_year = d.year - 1900;
    tm.tm_mon = d.month - 1;
    tm.tm_mday = d.day;
    tm.tm_hour = hh;
    tm.tm_min = mm;
    tm.tm_sec = ss;
    if (apr_time_exp_gmt_get(&t, &tm) != APR_SUCCESS) {
        return 0;
    }
    *out = t;
    return 1;
}

apr_time_t ne_timestamp_time(const char *ts)
{
    apr_time_t t;

    return ne_timestamp_parse(ts, &t) ? t : 0;
}

const char *ne_timestamp_now(apr_pool_t *pool)
{
    apr_time_exp_t t;
    char buf[32];
    apr_size_t n;

    apr_time_exp_gmt(&t, apr_time_now());
    apr_strftime(buf, &n, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &t);
    return apr_pstrmemdup(pool, buf, n);
}
