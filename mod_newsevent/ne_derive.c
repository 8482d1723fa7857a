/* SPDX-License-Identifier: Apache-2.0 */
/* ne_derive: related lists and companions of a whole archive, in memory.
 * The links are sorted twice: by event (each event's topics in its own
 * order) and by topic, day and event (each topic's events in time, the
 * order of event_topics_by_topic): an event's window in a topic is then a
 * slice of the second, found from its own place in it. */
#include "ne_derive.h"

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

/* As the read-time rule (ne_store_db.h): events on each side of an event
 * in each topic, through its first NE_DERIVE_TOPICS topics. */
#define NE_DERIVE_WINDOW 100
#define NE_DERIVE_TOPICS 32

/* A link in a topic's time order. */
typedef struct ne_in_topic {
    apr_int64_t topic;
    apr_int64_t event;
    int day;
    int ev;        /* the event's index */
    int link;      /* the link's index in the by-event order */
} ne_in_topic_t;

/* A candidate: an event's index and day (kept here: looked up through
 * the event, it would cost a cache miss a comparison). */
typedef struct ne_cand {
    int ev;
    int day;
} ne_cand_t;

struct ne_derive {
    ne_link_t *links;          /* by event, then pos */
    int nlinks;
    ne_in_topic_t *in_topic;   /* by topic, day, event */
    int *place;                /* link index -> its index in in_topic */
    int *link_topic;           /* link index -> its topic's index */
    apr_int64_t *event_id;     /* event index -> id (ascending) */
    int *event_day;
    int *event_start;          /* event i's links: [event_start[i], event_start[i + 1]) */
    int nevents;
    apr_int64_t *topic_id;     /* topic index -> id (ascending) */
    int *topic_start;          /* topic t's links in in_topic */
    int ntopics;
    int *count;                /* scratch: shared topics a candidate event */
    int *tcount;               /* scratch: companions' counts a topic */
    apr_array_header_t *cands, *multi, *found;   /* scratch, emptied for each */
};

static int ne_cmp_i64(apr_int64_t a, apr_int64_t b)
{
    return a < b ? -1 : a > b;
}

static int ne_link_by_event(const void *pa, const void *pb)
{
    const ne_link_t *a = pa, *b = pb;
    int c = ne_cmp_i64(a->event, b->event);

    return c ? c : a->pos != b->pos ? (a->pos < b->pos ? -1 : 1) : ne_cmp_i64(a->topic, b->topic);
}

static int ne_in_topic_order(const void *pa, const void *pb)
{
    const ne_in_topic_t *a = pa, *b = pb;
    int c = ne_cmp_i64(a->topic, b->topic);

    if (c == 0 && a->day != b->day) {
        c = a->day < b->day ? -1 : 1;
    }
    return c ? c : ne_cmp_i64(a->event, b->event);
}

/* The events: their ids, days and link ranges, from the by-event order. */
static void ne_derive_index_events(ne_derive_t *d, apr_pool_t *pool)
{
    int k, n = 0;

    d->event_id = apr_palloc(pool, sizeof(apr_int64_t) * (d->nlinks + 1));
    d->event_day = apr_palloc(pool, sizeof(int) * (d->nlinks + 1));
    d->event_start = apr_palloc(pool, sizeof(int) * (d->nlinks + 1));
    for (k = 0; k < d->nlinks; k++) {
        if (k == 0 || d->links[k].event != d->links[k - 1].event) {
            d->event_id[n] = d->links[k].event;
            d->event_day[n] = d->links[k].day;
            d->event_start[n++] = k;
        }
    }
    d->event_start[n] = d->nlinks;
    d->nevents = n;
}

/* The topics: each link's place in its topic's time order. */
static void ne_derive_index_topics(ne_derive_t *d, apr_pool_t *pool)
{
    int i, k, n = 0;

    d->in_topic = apr_palloc(pool, sizeof(ne_in_topic_t) * (d->nlinks + 1));
    for (i = 0; i < d->nevents; i++) {
        for (k = d->event_start[i]; k < d->event_start[i + 1]; k++) {
            ne_in_topic_t *e = &d->in_topic[k];
            e->topic = d->links[k].topic;
            e->event = d->links[k].event;
            e->day = d->links[k].day;
            e->ev = i;
            e->link = k;
        }
    }
    qsort(d->in_topic, d->nlinks, sizeof(ne_in_topic_t), ne_in_topic_order);
    d->place = apr_palloc(pool, sizeof(int) * (d->nlinks + 1));
    d->link_topic = apr_palloc(pool, sizeof(int) * (d->nlinks + 1));
    d->topic_id = apr_palloc(pool, sizeof(apr_int64_t) * (d->nlinks + 1));
    d->topic_start = apr_palloc(pool, sizeof(int) * (d->nlinks + 1));
    for (k = 0; k < d->nlinks; k++) {
        if (k == 0 || d->in_topic[k].topic != d->in_topic[k - 1].topic) {
            d->topic_id[n] = d->in_topic[k].topic;
            d->topic_start[n++] = k;
        }
        d->place[d->in_topic[k].link] = k;
        d->link_topic[d->in_topic[k].link] = n - 1;
    }
    d->topic_start[n] = d->nlinks;
    d->ntopics = n;
}

ne_derive_t *ne_derive_make(apr_pool_t *pool, apr_array_header_t *links)
{
    ne_derive_t *d = apr_pcalloc(pool, sizeof(*d));

    d->links = (ne_link_t *)links->elts;
    d->nlinks = links->nelts;
    qsort(d->links, d->nlinks, sizeof(ne_link_t), ne_link_by_event);
    ne_derive_index_events(d, pool);
    ne_derive_index_topics(d, pool);
    return ne_derive_fork(d, pool);
}

ne_derive_t *ne_derive_fork(const ne_derive_t *d, apr_pool_t *pool)
{
    ne_derive_t *f = apr_pmemdup(pool, d, sizeof(*d));

    f->count = apr_pcalloc(pool, sizeof(int) * (d->nevents + 1));
    f->tcount = apr_pcalloc(pool, sizeof(int) * (d->ntopics + 1));
    f->cands = apr_array_make(pool, 2048, sizeof(ne_cand_t));
    f->multi = apr_array_make(pool, 512, sizeof(ne_cand_t));
    f->found = apr_array_make(pool, 256, sizeof(int));
    return f;
}

int ne_derive_events(const ne_derive_t *d)
{
    return d->nevents;
}

int ne_derive_topics(const ne_derive_t *d)
{
    return d->ntopics;
}

apr_int64_t ne_derive_event_id(const ne_derive_t *d, int i)
{
    return d->event_id[i];
}

apr_int64_t ne_derive_topic_id(const ne_derive_t *d, int t)
{
    return d->topic_id[t];
}

/* Count event i's window in the topic of its link k: the NE_DERIVE_WINDOW
 * events up to its day (newest first) and after it (oldest first). Those
 * counted twice are listed in `multi` too. */
static void ne_derive_window(ne_derive_t *d, int i, int k, apr_array_header_t *cands,
                             apr_array_header_t *multi)
{
    int t = d->link_topic[k], at = d->place[k], day = d->event_day[i];
    int lo = at + 1, hi = d->topic_start[t + 1], from, to, j;

    while (lo < hi) {                 /* the first of the topic after the day */
        int mid = lo + (hi - lo) / 2;
        if (d->in_topic[mid].day <= day) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    from = lo - NE_DERIVE_WINDOW > d->topic_start[t] ? lo - NE_DERIVE_WINDOW
                                                     : d->topic_start[t];
    to = lo + NE_DERIVE_WINDOW < d->topic_start[t + 1] ? lo + NE_DERIVE_WINDOW
                                                       : d->topic_start[t + 1];
    for (j = from; j < to; j++) {
        const ne_in_topic_t *e = &d->in_topic[j];
        int seen;
        ne_cand_t *c;
        if (e->ev == i) {
            continue;
        }
        if ((seen = ++d->count[e->ev]) == 1 || seen == 2) {
            c = apr_array_push(seen == 1 ? cands : multi);
            c->ev = e->ev;
            c->day = e->day;
        }
    }
}

/* The places (1-based, in event i's order) of i's topics that event c has. */
static int ne_derive_shared(const ne_derive_t *d, apr_pool_t *pool, int i, int c, int **places)
{
    int k, m, n = 0;

    *places = apr_palloc(pool, sizeof(int) * (d->event_start[i + 1] - d->event_start[i]));
    for (k = d->event_start[i]; k < d->event_start[i + 1]; k++) {
        for (m = d->event_start[c]; m < d->event_start[c + 1]; m++) {
            if (d->links[m].topic == d->links[k].topic) {
                (*places)[n++] = k - d->event_start[i] + 1;
                break;
            }
        }
    }
    return n;
}

/* a before b in the rule's order, each with its count: most shared,
 * nearest to `day`, newest (day, then id: the index follows the id). */
static int ne_cand_before(const ne_cand_t *a, int sa, const ne_cand_t *b, int sb, int day)
{
    int da = abs(a->day - day), db = abs(b->day - day);

    if (sa != sb) {
        return sa > sb;
    }
    if (da != db) {
        return da < db;
    }
    return a->day != b->day ? a->day > b->day : a->ev > b->ev;
}

/* The best `max` candidates by window counts, in order: one pass, each
 * candidate compared with the worst kept first (most go no further). When
 * `max` candidates share two topics or more, the others (one) cannot be
 * among the best: only those are looked at. The counts are cleared after. */
static int ne_derive_best(ne_derive_t *d, int i, apr_array_header_t *cands,
                          apr_array_header_t *multi, int *best, int max)
{
    apr_array_header_t *look = multi->nelts >= max ? multi : cands;
    const ne_cand_t *all = (const ne_cand_t *)look->elts;
    const ne_cand_t *kept[NE_RELATED_STORED];
    int day = d->event_day[i], n = 0, j, m;
    int shared[NE_RELATED_STORED];

    for (m = 0; m < look->nelts; m++) {
        const ne_cand_t *c = &all[m];
        int sc = d->count[c->ev];
        if (n == max && !ne_cand_before(c, sc, kept[n - 1], shared[n - 1], day)) {
            continue;
        }
        for (j = n < max ? n++ : n - 1;
             j > 0 && ne_cand_before(c, sc, kept[j - 1], shared[j - 1], day); j--) {
            kept[j] = kept[j - 1];
            shared[j] = shared[j - 1];
        }
        kept[j] = c;
        shared[j] = sc;
    }
    for (j = 0; j < n; j++) {
        best[j] = kept[j]->ev;
    }
    for (m = 0; m < cands->nelts; m++) {
        d->count[APR_ARRAY_IDX(cands, m, ne_cand_t).ev] = 0;
    }
    return n;
}

const char *ne_derive_related(ne_derive_t *d, apr_pool_t *pool, int i)
{
    apr_array_header_t *cands = d->cands, *multi = d->multi;
    ne_derived_item_t items[NE_RELATED_STORED];
    int best[NE_RELATED_STORED];
    ne_cand_t ev[NE_RELATED_STORED];
    int k, j, n, end = d->event_start[i] + NE_DERIVE_TOPICS;
    const char *out = "";

    cands->nelts = multi->nelts = 0;
    for (k = d->event_start[i]; k < d->event_start[i + 1] && k < end; k++) {
        ne_derive_window(d, i, k, cands, multi);
    }
    n = ne_derive_best(d, i, cands, multi, best, NE_RELATED_STORED);
    /* Exact shared counts, then the final order (an insertion sort). */
    for (k = 0; k < n; k++) {
        ne_derived_item_t it;
        ne_cand_t c;
        c.ev = best[k];
        c.day = d->event_day[best[k]];
        it.id = d->event_id[best[k]];
        it.n = ne_derive_shared(d, pool, i, best[k], &it.places);
        for (j = k; j > 0 && ne_cand_before(&c, it.n, &ev[j - 1], items[j - 1].n,
                                            d->event_day[i]); j--) {
            items[j] = items[j - 1];
            ev[j] = ev[j - 1];
        }
        items[j] = it;
        ev[j] = c;
    }
    for (k = 0; k < n; k++) {
        ne_derived_put(pool, &out, &items[k], 1);
    }
    return out;
}

const char *ne_derive_companions(ne_derive_t *d, apr_pool_t *pool, int t)
{
    apr_array_header_t *found = d->found;
    int from = d->topic_start[t + 1] - NE_COMPANIONS_SAMPLE, j, k, n;
    const char *out = "";

    found->nelts = 0;
    for (j = from > d->topic_start[t] ? from : d->topic_start[t]; j < d->topic_start[t + 1];
         j++) {
        int ev = d->in_topic[j].ev;
        for (k = d->event_start[ev]; k < d->event_start[ev + 1]; k++) {
            int u = d->link_topic[k];
            if (u != t && d->tcount[u]++ == 0) {
                APR_ARRAY_PUSH(found, int) = u;
            }
        }
    }
    for (n = 0; n < NE_COMPANIONS_SHOWN && n < found->nelts; n++) {
        int *all = (int *)found->elts, top = n, x;
        ne_derived_item_t it;
        for (j = n + 1; j < found->nelts; j++) {
            int a = all[j], b = all[top];
            if (d->tcount[a] > d->tcount[b]
                || (d->tcount[a] == d->tcount[b] && d->topic_id[a] < d->topic_id[b])) {
                top = j;
            }
        }
        x = all[n]; all[n] = all[top]; all[top] = x;
        it.id = d->topic_id[all[n]];
        it.n = d->tcount[all[n]];
        ne_derived_put(pool, &out, &it, 0);
    }
    for (j = 0; j < found->nelts; j++) {
        d->tcount[APR_ARRAY_IDX(found, j, int)] = 0;
    }
    return out;
}

char *ne_derived_digits(char *p, apr_int64_t v)
{
    char tmp[24];
    int n = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (n > 0) {
        *p++ = tmp[--n];
    }
    return p;
}

void ne_derived_put(apr_pool_t *pool, const char **out, const ne_derived_item_t *item,
                    int related)
{
    apr_size_t had = strlen(*out);
    char *s = apr_palloc(pool, had + 24 + 12 * (apr_size_t)(item->n + 1)), *p = s;
    int k;

    memcpy(p, *out, had);
    p += had;
    if (had > 0) {
        *p++ = ',';
    }
    p = ne_derived_digits(p, item->id);
    *p++ = ':';
    if (!related) {
        p = ne_derived_digits(p, item->n > 0 ? item->n : 0);
    }
    for (k = 0; related && k < item->n; k++) {
        if (k > 0) {
            *p++ = '.';
        }
        p = ne_derived_digits(p, item->places[k] > 0 ? item->places[k] : 0);
    }
    *p = '\0';
    *out = s;
}

/* One decimal number at *p, advancing it; 0 when there is none. */
static int ne_derived_number(const char **p, apr_int64_t *v)
{
    const char *s = *p;

    *v = 0;
    while (*s >= '0' && *s <= '9' && *v < APR_INT64_C(100000000000000000)) {
        *v = *v * 10 + (*s++ - '0');
    }
    if (s == *p) {
        return 0;
    }
    *p = s;
    return 1;
}

/* One item at *p: "ID:N" or "ID:P.P.P". */
static int ne_derived_item(apr_pool_t *pool, const char **p, int related,
                           ne_derived_item_t *it)
{
    apr_int64_t v;
    int room = 4;

    if (!ne_derived_number(p, &it->id) || *(*p)++ != ':') {
        return 0;
    }
    it->n = 0;
    it->places = NULL;
    if (!related) {
        return ne_derived_number(p, &v) && (it->n = (int)v, 1);
    }
    it->places = apr_palloc(pool, sizeof(int) * room);
    while (ne_derived_number(p, &v)) {
        if (it->n == room) {
            int *more = apr_palloc(pool, sizeof(int) * room * 2);
            memcpy(more, it->places, sizeof(int) * room);
            it->places = more;
            room *= 2;
        }
        it->places[it->n++] = (int)v;
        if (**p != '.') {
            break;
        }
        (*p)++;
    }
    return 1;
}

int ne_derived_parse(apr_pool_t *pool, const char *text, int related, int max,
                     apr_array_header_t **items)
{
    const char *p = text;

    *items = apr_array_make(pool, max > 0 ? max : 1, sizeof(ne_derived_item_t));
    while (*p != '\0' && (*items)->nelts < max) {
        if (!ne_derived_item(pool, &p, related, apr_array_push(*items))) {
            return 0;
        }
        if (*p == ',') {
            p++;
        }
        else if (*p != '\0') {
            return 0;
        }
    }
    return 1;
}
