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

extern module AP_MODULE_DECLARE_DATA newsevent_module;

#define NE_HANDLER "newsevent"
#define NE_DEFAULT_BASE "/news"
#define NE_DEFAULT_RELATED 5
#define NE_MAX_RELATED 50
#define NE_RETRY_AFTER "30"
#define NE_DEFAULT_PAGE_SIZE 50
#define NE_MAX_PAGE_SIZE 1000
#define NE_DEFAULT_FRONT_DAYS 3
#define NE_MAX_FRONT_DAYS 31
#define NE_DEFAULT_CACHE_SIZE (32 * 1024 * 1024)
#define NE_DEFAULT_LIST_LIMIT 1000
#define NE_MAX_LIST_LIMIT 100000

typedef struct ne_server_conf {
    const char *base;          /* NULL: unset (NE_DEFAULT_BASE) */
    const char *prefix;        /* NULL: unset (no table prefix) */
    int news_on;               /* NewsEvent On somewhere in this server */
    int news_off;              /* NewsEvent Off at this server's top level */
    int serves;                /* set by ne_check_config: it has the statements */
    apr_off_t cache_size;      /* -1: unset (NE_DEFAULT_CACHE_SIZE); main server's counts */
    ne_cache_t *cache;         /* the child's cache, set in child_init */
} ne_server_conf_t;

typedef struct ne_dir_conf {
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
} ne_dir_conf_t;

/* What one request is served with: its merged settings. */
typedef struct ne_req_conf {
    ne_render_opts_t opts;
    int related_max;
    ne_format_e preferred;     /* served, and first in ties */
    const char *cache_control; /* NULL: none */
    int page_size;
    int front_days;
    int list_limit;
    const char *prefix;        /* the server's table prefix, "" for none */
} ne_req_conf_t;

/* mod_newsevent_config.c */
extern const command_rec ne_cmds[];
void *ne_create_server_conf(apr_pool_t *p, server_rec *s);
void *ne_merge_server_conf(apr_pool_t *p, void *base, void *add);
void *ne_create_dir_conf(apr_pool_t *p, char *dir);
void *ne_merge_dir_conf(apr_pool_t *p, void *base, void *add);
const char *ne_conf_base(const ne_server_conf_t *sc);
const char *ne_conf_prefix(const ne_server_conf_t *sc);
int ne_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s);
int ne_conf_enabled(const ne_dir_conf_t *dc);
void ne_conf_for_request(request_rec *r, ne_req_conf_t *rc);

/* mod_newsevent_handler.c */
int ne_translate_name(request_rec *r);
int ne_map_to_storage(request_rec *r);
int ne_handler(request_rec *r);
int ne_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s);
void ne_child_init(apr_pool_t *pchild, server_rec *s);

#endif
