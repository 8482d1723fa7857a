/* SPDX-License-Identifier: Apache-2.0 */
/* The Apache glue of mod_newsevent: shared between its mod_newsevent*.c
 * files, and nothing the plain-C core includes. */
#ifndef MOD_NEWSEVENT_H
#define MOD_NEWSEVENT_H

#include "httpd.h"
#include "http_config.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

#include "ne_cache.h"
#include "ne_render.h"
#include "ne_route.h"
#include "ne_store.h"

extern module AP_MODULE_DECLARE_DATA newsevent_module;

#define MNE_HANDLER "newsevent"
#define MNE_DEFAULT_BASE "/news"
#define MNE_DEFAULT_RELATED 5
#define MNE_MAX_RELATED 50
#define MNE_RETRY_AFTER "30"
#define MNE_DEFAULT_PAGE_SIZE 50
#define MNE_MAX_PAGE_SIZE 1000
#define MNE_DEFAULT_FRONT_DAYS 3
#define MNE_MAX_FRONT_DAYS 31
#define MNE_DEFAULT_CACHE_SIZE (32 * 1024 * 1024)
#define MNE_DEFAULT_LIST_LIMIT 1000
#define MNE_MAX_LIST_LIMIT 100000
#define MNE_DEFAULT_SEARCH_PAGE_SIZE 20
#define MNE_DEFAULT_WRITE_LIMIT (1024 * 1024)
#define MNE_MAX_WRITE_LIMIT (64 * 1024 * 1024)

typedef struct mne_server_conf {
    const char *base;          /* NULL: unset (MNE_DEFAULT_BASE) */
    const char *prefix;        /* NULL: unset (no table prefix) */
    int news_on;               /* NewsEvent On somewhere in this server */
    int news_off;              /* NewsEvent Off at this server's top level */
    int serves;                /* set by mne_check_config: it has the statements */
    apr_off_t cache_size;      /* -1: unset (MNE_DEFAULT_CACHE_SIZE); main server's counts */
    ne_cache_t *cache;         /* the child's cache, set in child_init */
} mne_server_conf_t;

typedef struct mne_dir_conf {
    int enabled;               /* -1: unset (off) */
    int related_max;           /* -1: unset */
    const char *site_title;    /* NULL: unset */
    const char *stylesheet;    /* NULL: unset (built-in) */
    const char *lang;          /* NULL: unset */
    const ne_format_set_t *formats;  /* NULL: unset (all four) */
    int default_format;        /* NE_FMT_NONE: unset (the first served) */
    const char *cache_control; /* NULL: unset (none); "" after "none" */
    int page_size;             /* 0: unset */
    int front_days;            /* 0: unset */
    int list_limit;            /* 0: unset */
    const char *header_html;   /* NULL: unset (built-in); "" after "none" */
    const char *footer_html;
    const char *csp;           /* NULL: unset (the default policy); "" after "none" */
    const apr_array_header_t *cors;  /* NULL: unset (off); origins, or "*" */
    int search;                /* -1: unset (on) */
    int search_page_size;      /* 0: unset */
    int write;                 /* -1: unset (off) */
    apr_off_t write_limit;     /* 0: unset */
} mne_dir_conf_t;

/* What one request is served with: its merged settings. */
typedef struct mne_req_conf {
    ne_render_opts_t opts;
    int related_max;
    ne_format_e preferred;     /* served, and first in ties */
    const char *cache_control; /* NULL: none */
    int page_size;
    int front_days;
    int list_limit;
    const char *prefix;        /* the server's table prefix, "" for none */
    const char *csp;           /* Content-Security-Policy of HTML answers, or NULL */
    const apr_array_header_t *cors;  /* origins allowed to read, "*" any; NULL none */
    int search_page_size;
    int write;                 /* NewsEventWrite On: PUT, POST, DELETE taken */
    apr_off_t write_limit;     /* bytes of a write's body */
} mne_req_conf_t;

/* mod_newsevent_config.c */
extern const command_rec mne_cmds[];
void *mne_create_server_conf(apr_pool_t *p, server_rec *s);
void *mne_merge_server_conf(apr_pool_t *p, void *base, void *add);
void *mne_create_dir_conf(apr_pool_t *p, char *dir);
void *mne_merge_dir_conf(apr_pool_t *p, void *base, void *add);
const char *mne_conf_base(const mne_server_conf_t *sc);
const char *mne_conf_prefix(const mne_server_conf_t *sc);
/* The virtual host a log line speaks of: its ServerName, or "this server". */
const char *mne_site_name(const request_rec *r);
int mne_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s);
int mne_conf_enabled(const mne_dir_conf_t *dc);
void mne_conf_for_request(request_rec *r, mne_req_conf_t *rc);
/* The server's mod_dbd settings (DBDriver, DBDParams), or NULL. */
dbd_cfg_t *mne_dbd_cfg(server_rec *s);

/* mod_newsevent_store.c */
void mne_store_init(void);
void mne_log_for_request(request_rec *r, ne_log_t *log);
ap_dbd_t *mne_store_open(request_rec *r, ne_store_t *st);
const char *mne_store_why_none(request_rec *r);
const char *mne_store_access_problem(request_rec *r);
apr_status_t mne_search_fetch(request_rec *r, ne_store_t *st, ap_dbd_t *dbd,
                              const char *prefix, ne_search_query_t *sq, ne_list_t **out);
apr_status_t mne_store_writes_ready(request_rec *r, ne_store_t *st, ap_dbd_t *dbd,
                                    const char *prefix);
apr_status_t mne_store_absence(request_rec *r, ne_store_t *st, ap_dbd_t *dbd,
                               const char *prefix, const char *date, const char *slug,
                               int *gone, const char **to_date, const char **to_slug);
void mne_store_close(request_rec *r, ne_store_t *st, ap_dbd_t **dbd);
int mne_store_recover(request_rec *r, ne_store_t *st, ap_dbd_t *dbd, apr_status_t rv,
                      const char *prefix);

/* mod_newsevent_headers.c: nosniff, the Content-Security-Policy, CORS. */
void mne_headers_init(void);
const char *mne_set_csp(cmd_parms *cmd, mne_dir_conf_t *dc, const char *arg);
const char *mne_set_cors(cmd_parms *cmd, mne_dir_conf_t *dc, int argc, char *const argv[]);
const char *mne_headers_csp(apr_pool_t *p, const mne_dir_conf_t *dc,
                            const ne_render_opts_t *o);
void mne_headers_common(request_rec *r, const mne_req_conf_t *c);
int mne_headers_preflight(request_rec *r, const mne_req_conf_t *c);

/* mod_newsevent_query.c: ?page=N (1 when absent, -1 when not a whole number
 * from 1 to 1000000); ?q=&sort=&from=&to=&topic= into a search (NULL, or
 * why it is a 400). */
int mne_page_param(request_rec *r);
/* "https://news.example:8443": the server's own (ServerName), not the
 * client's Host, so that feeds' ids stay the same whoever asks. */
const char *mne_origin(request_rec *r);
const char *mne_search_params(request_rec *r, ne_search_query_t *sq);

/* mod_newsevent_handler.c */
int mne_translate_name(request_rec *r);
int mne_map_to_storage(request_rec *r);
int mne_handler(request_rec *r);
int mne_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s);
void mne_child_init(apr_pool_t *pchild, server_rec *s);

#endif
