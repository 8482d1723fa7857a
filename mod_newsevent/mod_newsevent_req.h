/* SPDX-License-Identifier: Apache-2.0 */
/* One request as the handler's files see it (mod_newsevent_handler.c,
 * mod_newsevent_answer.c, mod_newsevent_write.c): its route, settings,
 * choices and what the store gave. Private to the glue. */
#ifndef MOD_NEWSEVENT_REQ_H
#define MOD_NEWSEVENT_REQ_H

#include "mod_newsevent.h"

/* One request's choices. */
typedef struct mne_req {
    request_rec *r;
    const ne_route_t *rt;
    mne_req_conf_t conf;
    ne_format_e format;      /* the representation; NE_FMT_NONE: none acceptable */
    ne_format_e error_format;
    int negotiated;          /* the URL has no extension: Accept decided */
    int error_negotiated;    /* an error's format came from Accept */
    int page;                /* ?page=N of a paged list; 1 when absent */
    ne_store_t st;
    ap_dbd_t *dbd;
    apr_time_t changed;      /* when an import last changed the store */
    apr_int64_t generation;  /* and its count of such imports: the cache's key */
    const char *link;        /* a Link header for a paged list, or NULL */
    ne_event_t *event;       /* what the store gave */
    ne_list_t *list;
    ne_feed_t feed;
    ne_sitemap_t *sitemap;
    ne_search_query_t search;  /* a search's, read from the query string */
    apr_status_t failure;    /* the store's, when it failed */
    int gone;                /* no event at this URL: it was deleted (410) */
    const char *moved_date;  /* or it moved there (301) */
    const char *moved_slug;
} mne_req_t;

/* mod_newsevent_answer.c: the answer's parts. */
const char *mne_fixed_type(ne_route_kind_e kind);
int mne_send_bytes(mne_req_t *q, const char *content_type, const char *data, apr_size_t len);
void mne_vary(mne_req_t *q, int negotiated);
int mne_problem(mne_req_t *q, int status, const char *detail, const char *const *alternates);
int mne_unavailable(mne_req_t *q, const char *why);
ne_list_kind_e mne_list_kind(ne_route_kind_e kind);
const char *mne_list_key(const ne_route_t *rt);
const char *mne_variant_url(mne_req_t *q, ne_format_e f);
int mne_not_acceptable(mne_req_t *q);
const char *mne_etag(apr_pool_t *pool, const ne_buf_t *out);
int mne_respond(mne_req_t *q, const ne_cached_t *a);

/* mod_newsevent_write.c: PUT, POST, DELETE where NewsEventWrite is on. */
int mne_write_method(request_rec *r);
const char *mne_write_allow(const ne_route_t *rt);
int mne_write(mne_req_t *q);

#endif
