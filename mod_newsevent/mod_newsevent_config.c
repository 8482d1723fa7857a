/* SPDX-License-Identifier: Apache-2.0 */
/* Directives of mod_newsevent: create, merge and validate, in one place.
 * A bad value fails the configuration (apachectl -t) with a message naming
 * the directive and the value. */
#include "mod_newsevent.h"
#include "ne_store.h"
#include "ne_text.h"

#include "apr_lib.h"
#include "apr_strings.h"
#include "http_log.h"

APLOG_USE_MODULE(newsevent);

void *mne_create_server_conf(apr_pool_t *p, server_rec *s)
{
    mne_server_conf_t *sc = apr_pcalloc(p, sizeof(*sc));

    (void)s;
    sc->cache_size = -1;
    return sc;
}

void *mne_merge_server_conf(apr_pool_t *p, void *basev, void *addv)
{
    mne_server_conf_t *base = basev, *add = addv;
    mne_server_conf_t *sc = apr_pcalloc(p, sizeof(*sc));

    sc->base = add->base ? add->base : base->base;
    sc->prefix = add->prefix ? add->prefix : base->prefix;
    sc->news_on = add->news_on;
    sc->news_off = add->news_off;
    sc->cache_size = add->cache_size != -1 ? add->cache_size : base->cache_size;
    return sc;
}

void *mne_create_dir_conf(apr_pool_t *p, char *dir)
{
    mne_dir_conf_t *dc = apr_pcalloc(p, sizeof(*dc));

    (void)dir;
    dc->enabled = -1;
    dc->related_max = -1;
    dc->default_format = NE_FMT_NONE;
    return dc;
}

void *mne_merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    mne_dir_conf_t *base = basev, *add = addv;
    mne_dir_conf_t *dc = apr_pcalloc(p, sizeof(*dc));

    dc->enabled = add->enabled != -1 ? add->enabled : base->enabled;
    dc->related_max = add->related_max != -1 ? add->related_max : base->related_max;
    dc->site_title = add->site_title ? add->site_title : base->site_title;
    dc->stylesheet = add->stylesheet ? add->stylesheet : base->stylesheet;
    dc->lang = add->lang ? add->lang : base->lang;
    dc->formats = add->formats ? add->formats : base->formats;
    dc->default_format = add->default_format != NE_FMT_NONE ? add->default_format
                                                            : base->default_format;
    dc->cache_control = add->cache_control ? add->cache_control : base->cache_control;
    dc->page_size = add->page_size ? add->page_size : base->page_size;
    dc->front_days = add->front_days ? add->front_days : base->front_days;
    dc->list_limit = add->list_limit ? add->list_limit : base->list_limit;
    dc->header_html = add->header_html ? add->header_html : base->header_html;
    dc->footer_html = add->footer_html ? add->footer_html : base->footer_html;
    return dc;
}

const char *mne_conf_base(const mne_server_conf_t *sc)
{
    return sc->base ? sc->base : MNE_DEFAULT_BASE;
}

const char *mne_conf_prefix(const mne_server_conf_t *sc)
{
    return sc->prefix ? sc->prefix : "";
}

int mne_conf_enabled(const mne_dir_conf_t *dc)
{
    return dc->enabled == 1;
}

void mne_conf_for_request(request_rec *r, mne_req_conf_t *rc)
{
    const mne_server_conf_t *sc = ap_get_module_config(r->server->module_config,
                                                       &newsevent_module);
    const mne_dir_conf_t *dc = ap_get_module_config(r->per_dir_config, &newsevent_module);
    ne_render_opts_t *o = &rc->opts;

    o->base = mne_conf_base(sc);
    o->site_title = dc->site_title ? dc->site_title : "News";
    o->stylesheet = dc->stylesheet && *dc->stylesheet ? dc->stylesheet : NULL;
    o->lang = dc->lang ? dc->lang : "en";
    o->formats = dc->formats ? dc->formats : &ne_format_all;
    o->header_html = dc->header_html && *dc->header_html ? dc->header_html : NULL;
    o->footer_html = dc->footer_html && *dc->footer_html ? dc->footer_html : NULL;
    rc->related_max = dc->related_max != -1 ? dc->related_max : MNE_DEFAULT_RELATED;
    /* A default format the location does not serve yields to its first. */
    rc->preferred = ne_format_set_has(o->formats, (ne_format_e)dc->default_format)
                    ? (ne_format_e)dc->default_format : o->formats->order[0];
    rc->cache_control = dc->cache_control && *dc->cache_control ? dc->cache_control : NULL;
    rc->page_size = dc->page_size ? dc->page_size : MNE_DEFAULT_PAGE_SIZE;
    rc->front_days = dc->front_days ? dc->front_days : MNE_DEFAULT_FRONT_DAYS;
    rc->list_limit = dc->list_limit ? dc->list_limit : MNE_DEFAULT_LIST_LIMIT;
    rc->prefix = mne_conf_prefix(sc);
}

/* The archive's URLs are resolved at URL mapping and are not files:
 * <Directory>, <Files> and <Proxy> sections never apply to them, so the
 * per-directory directives refuse those sections rather than be ignored. <If>, which
 * httpd walks before URL mapping, stays allowed (NOT_IN_FILES would refuse
 * it too, hence the walk up the enclosing sections). */
static const char *mne_context(cmd_parms *cmd)
{
    const ap_directive_t *d;
    const char *bad = ap_check_cmd_context(cmd, NOT_IN_DIRECTORY | NOT_IN_PROXY);

    if (bad != NULL) {
        return bad;
    }
    for (d = cmd->directive ? cmd->directive->parent : NULL; d != NULL; d = d->parent) {
        if (strcasecmp(d->directive, "<Files") == 0
            || strcasecmp(d->directive, "<FilesMatch") == 0) {
            return apr_pstrcat(cmd->pool, cmd->cmd->name, " cannot occur within ",
                               d->directive, "> section", NULL);
        }
    }
    return NULL;
}

static const char *mne_set_enable(cmd_parms *cmd, void *dcv, int on)
{
    const char *bad = mne_context(cmd);
    mne_dir_conf_t *dc = dcv;

    if (bad != NULL) {
        return bad;
    }
    mne_server_conf_t *sc = ap_get_module_config(cmd->server->module_config,
                                                 &newsevent_module);

    dc->enabled = on;
    if (on) {
        sc->news_on = 1;
    }
    else if (cmd->path == NULL) {
        sc->news_off = 1;
    }
    return NULL;
}

/* mod_dbd keeps no public way to read a server's driver. Its per-server
 * config begins with a pointer to the public dbd_cfg_t of mod_dbd.h, in
 * every 2.4 release; the name is "[DBDriver unset]" until DBDriver. */
static dbd_cfg_t *mne_dbd_cfg(server_rec *s)
{
    module *dbd = ap_find_linked_module("mod_dbd.c");
    dbd_cfg_t **cfg = dbd ? ap_get_module_config(s->module_config, dbd) : NULL;

    return cfg ? *cfg : NULL;
}

static const char *mne_dbd_driver(server_rec *s)
{
    dbd_cfg_t *cfg = mne_dbd_cfg(s);

    return (cfg && cfg->name && cfg->name[0] != '[') ? cfg->name : NULL;
}

static const char *mne_server_name(apr_pool_t *p, server_rec *s)
{
    return apr_psprintf(p, "%s:%u (%s, line %u)", s->server_hostname ? s->server_hostname
                        : "(unnamed)", (unsigned)s->port, s->defn_name ? s->defn_name
                        : "main", s->defn_line_number);
}

/* Does this server serve the archive? Where NewsEvent On was said in it, or
 * in the main server when it does not say Off itself. A host's top-level Off
 * also wins over a <Location> of the main server that says On (which httpd
 * applies in every host): the host gets no statements and never claims a URL,
 * so its mod_dbd pool is left to its other users. */
static int mne_server_serves(server_rec *s, server_rec *main)
{
    const mne_server_conf_t *sc = ap_get_module_config(s->module_config, &newsevent_module);
    const mne_server_conf_t *mc = ap_get_module_config(main->module_config, &newsevent_module);

    return sc->news_on || (s != main && mc->news_on && !sc->news_off);
}

/* After the configuration is read (apachectl -t included): each server that
 * serves the archive needs mod_dbd and a DBDriver. The statements are not
 * registered with mod_dbd: each connection prepares them, with its site's
 * table prefix, when a request first needs them (mod_newsevent_store.c). */
int mne_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    server_rec *sp;

    (void)pconf; (void)plog;
    for (sp = s; sp; sp = sp->next) {
        mne_server_conf_t *sc = ap_get_module_config(sp->module_config, &newsevent_module);
        if (!(sc->serves = mne_server_serves(sp, s))) {
            continue;
        }
        if (APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open) == NULL) {
            ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, "NewsEvent On needs mod_dbd: load "
                         "it (LoadModule dbd_module) before mod_newsevent");
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        if (mne_dbd_driver(sp) == NULL) {
            ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, "NewsEvent On in %s, but that server "
                         "has no DBDriver: give it DBDriver and DBDParams (mod_dbd)",
                         mne_server_name(ptemp, sp));
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    return OK;
}

static const char *mne_set_base(cmd_parms *cmd, void *dcv, const char *arg)
{
    mne_server_conf_t *sc = ap_get_module_config(cmd->server->module_config,
                                                 &newsevent_module);
    (void)dcv;
    if (sc->base != NULL) {
        return apr_psprintf(cmd->pool, "%s: this server already serves the archive under "
                            "'%s'; one base path per server", cmd->cmd->name, sc->base);
    }
    if (!ne_route_base_valid(arg)) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a base path: it must start "
                            "with '/', not end with '/', and hold only letters, "
                            "digits, '-', '.', '_' and '~' between single slashes",
                            cmd->cmd->name, arg);
    }
    sc->base = arg;
    return NULL;
}

/* A whole number from min to max, or a message naming the directive. */
static const char *mne_conf_number(cmd_parms *cmd, const char *arg, int min, int max, int *out)
{
    char *end;
    long n = strtol(arg, &end, 10);

    if (*arg == '\0' || *end != '\0' || n < min || n > max) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a number from %d to %d",
                            cmd->cmd->name, arg, min, max);
    }
    *out = (int)n;
    return NULL;
}

static const char *mne_set_prefix(cmd_parms *cmd, void *dcv, const char *arg)
{
    mne_server_conf_t *sc = ap_get_module_config(cmd->server->module_config,
                                                 &newsevent_module);
    (void)dcv;
    if (!ne_store_prefix_valid(arg)) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a table prefix: a-z first, then "
                            "a-z, 0-9 or _, at most 32 in all", cmd->cmd->name, arg);
    }
    sc->prefix = arg;
    return NULL;
}

static const char *mne_set_cache_size(cmd_parms *cmd, void *dcv, const char *arg)
{
    mne_server_conf_t *sc = ap_get_module_config(cmd->server->module_config,
                                                 &newsevent_module);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    char *end = NULL;
    apr_off_t size;

    (void)dcv;
    if (err != NULL) {
        return err;
    }
    if (apr_strtoff(&size, arg, &end, 10) != APR_SUCCESS || *arg == '\0' || *end != '\0'
        || size < 0
        || size > (apr_off_t)4096 * 1024 * 1024) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a number of bytes from 0 (no cache) "
                            "to 4294967296", cmd->cmd->name, arg);
    }
    sc->cache_size = size;
    return NULL;
}

static const char *mne_set_related(cmd_parms *cmd, mne_dir_conf_t *dc, const char *arg)
{
    return mne_conf_number(cmd, arg, 0, MNE_MAX_RELATED, &dc->related_max);
}

static const char *mne_set_page_size(cmd_parms *cmd, mne_dir_conf_t *dc, const char *arg)
{
    return mne_conf_number(cmd, arg, 1, MNE_MAX_PAGE_SIZE, &dc->page_size);
}

static const char *mne_set_list_limit(cmd_parms *cmd, mne_dir_conf_t *dc, const char *arg)
{
    return mne_conf_number(cmd, arg, 10, MNE_MAX_LIST_LIMIT, &dc->list_limit);
}

static const char *mne_set_front_days(cmd_parms *cmd, mne_dir_conf_t *dc, const char *arg)
{
    return mne_conf_number(cmd, arg, 1, MNE_MAX_FRONT_DAYS, &dc->front_days);
}

static const char *mne_set_title(cmd_parms *cmd, mne_dir_conf_t *dc,
                                 const char *arg)
{
    if (*arg == '\0' || strlen(arg) > 200) {
        return apr_psprintf(cmd->pool, "%s: the title must hold 1 to 200 bytes (it has %lu)",
                            cmd->cmd->name, (unsigned long)strlen(arg));
    }
    if (!ne_text_is_clean(arg)) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not valid UTF-8 text (pages are "
                            "UTF-8; no control characters)", cmd->cmd->name, arg);
    }
    dc->site_title = arg;
    return NULL;
}

static const char *mne_set_stylesheet(cmd_parms *cmd, mne_dir_conf_t *dc,
                                      const char *arg)
{
    if (strcasecmp(arg, "builtin") == 0) {
        dc->stylesheet = "";             /* set, so that it overrides an inherited one */
        return NULL;
    }
    if (!ne_url_is_http(arg) && !(arg[0] == '/' && arg[1] != '/')) {
        return apr_psprintf(cmd->pool, "%s: '%s' is neither 'builtin', a path starting "
                            "with '/', nor an http or https URL", cmd->cmd->name, arg);
    }
    dc->stylesheet = arg;
    return NULL;
}

static const char *mne_set_lang(cmd_parms *cmd, mne_dir_conf_t *dc,
                                const char *arg)
{
    const char *p;

    for (p = arg; *p && (apr_isalnum(*p) || *p == '-'); p++) {
    }
    if (*arg == '\0' || *p != '\0' || p - arg > 35) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a language tag such as 'en' "
                            "or 'pt-BR'", cmd->cmd->name, arg);
    }
    dc->lang = arg;
    return NULL;
}

static ne_format_e mne_conf_format(const char *arg)
{
    return ne_format_from_ext(arg, strlen(arg));
}

static const char *mne_set_formats(cmd_parms *cmd, void *dcv, int argc, char *const argv[])
{
    const char *bad = mne_context(cmd);
    mne_dir_conf_t *dc = dcv;
    ne_format_set_t *set = apr_pcalloc(cmd->pool, sizeof(*set));
    int i;

    if (bad != NULL) {
        return bad;
    }

    if (argc < 1 || argc > NE_FMT_COUNT) {
        return apr_psprintf(cmd->pool, "%s: name 1 to 4 of html, json, xml, md",
                            cmd->cmd->name);
    }
    for (i = 0; i < argc; i++) {
        ne_format_e f = mne_conf_format(argv[i]);
        if (f == NE_FMT_NONE) {
            return apr_psprintf(cmd->pool, "%s: '%s' is not a format (html, json, xml, md)",
                                cmd->cmd->name, argv[i]);
        }
        if (ne_format_set_has(set, f)) {
            return apr_psprintf(cmd->pool, "%s: '%s' is named twice", cmd->cmd->name, argv[i]);
        }
        set->order[set->n++] = f;
    }
    if (dc->default_format != NE_FMT_NONE && !ne_format_set_has(set, dc->default_format)) {
        return apr_psprintf(cmd->pool, "%s: the NewsEventDefaultFormat of this context, '%s', "
                            "is not among them", cmd->cmd->name,
                            ne_format_ext(dc->default_format));
    }
    dc->formats = set;
    return NULL;
}

static const char *mne_set_default_format(cmd_parms *cmd, mne_dir_conf_t *dc,
                                          const char *arg)
{
    ne_format_e f = mne_conf_format(arg);

    if (f == NE_FMT_NONE) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a format (html, json, xml, md)",
                            cmd->cmd->name, arg);
    }
    if (dc->formats != NULL && !ne_format_set_has(dc->formats, f)) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not among the NewsEventFormats of this "
                            "context", cmd->cmd->name, arg);
    }
    dc->default_format = f;
    return NULL;
}

static const char *mne_set_cache_control(cmd_parms *cmd, mne_dir_conf_t *dc,
                                         const char *arg)
{
    const char *p;

    if (*arg == '\0') {
        return apr_psprintf(cmd->pool, "%s: the value is empty (say none for no header)",
                            cmd->cmd->name);
    }
    for (p = arg; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7F) {
            return apr_psprintf(cmd->pool, "%s: the value holds a control character",
                                cmd->cmd->name);
        }
    }
    dc->cache_control = strcasecmp(arg, "none") == 0 ? "" : arg;
    return NULL;
}

/* A site's own header or footer markup, read once at start-up from a file
 * (relative to ServerRoot); "none" for the built-in. At most 64 KiB. */
static const char *mne_read_snippet(cmd_parms *cmd, const char *arg, const char **slot)
{
    const char *path;
    apr_file_t *f;
    apr_finfo_t fi;
    apr_size_t len;
    char *text;
    apr_status_t rv;

    if (strcasecmp(arg, "none") == 0) {
        *slot = "";
        return NULL;
    }
    path = ap_server_root_relative(cmd->pool, arg);
    rv = path ? apr_file_open(&f, path, APR_FOPEN_READ, 0, cmd->temp_pool) : APR_EBADPATH;
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&fi, APR_FINFO_SIZE, f);
    }
    if (rv != APR_SUCCESS) {
        char why[120];
        return apr_psprintf(cmd->pool, "%s: cannot read '%s': %s", cmd->cmd->name, arg,
                            apr_strerror(rv, why, sizeof(why)));
    }
    if (fi.size > 65536) {
        return apr_psprintf(cmd->pool, "%s: '%s' is larger than 64 KiB", cmd->cmd->name, arg);
    }
    len = (apr_size_t)fi.size;
    text = apr_palloc(cmd->pool, len + 1);
    if (apr_file_read_full(f, text, len, &len) != APR_SUCCESS && len != (apr_size_t)fi.size) {
        return apr_psprintf(cmd->pool, "%s: cannot read '%s'", cmd->cmd->name, arg);
    }
    text[len] = '\0';
    *slot = text;
    return NULL;
}

static const char *mne_set_header(cmd_parms *cmd, mne_dir_conf_t *dc, const char *arg)
{
    return mne_read_snippet(cmd, arg, &dc->header_html);
}

static const char *mne_set_footer(cmd_parms *cmd, mne_dir_conf_t *dc, const char *arg)
{
    return mne_read_snippet(cmd, arg, &dc->footer_html);
}

/* Every per-directory directive of one argument goes through here: its
 * context is checked once, then its setter (the directive's cmd->info)
 * runs. */
typedef const char *mne_dir_set_fn(cmd_parms *cmd, mne_dir_conf_t *dc, const char *arg);
typedef struct mne_dir_setter {
    mne_dir_set_fn *set;
} mne_dir_setter_t;

static const char *mne_dir_take1(cmd_parms *cmd, void *dcv, const char *arg)
{
    const mne_dir_setter_t *setter = cmd->info;
    const char *bad = mne_context(cmd);

    return bad != NULL ? bad : setter->set(cmd, dcv, arg);
}

#define MNE_DIR_TAKE1(name, setter, help) \
    AP_INIT_TAKE1(name, mne_dir_take1, (void *)&(mne_dir_setter_t){setter}, \
                  RSRC_CONF | ACCESS_CONF, help)

const command_rec mne_cmds[] = {
    AP_INIT_FLAG("NewsEvent", mne_set_enable, NULL, RSRC_CONF | ACCESS_CONF,
                 "On to serve the news archive under NewsEventBase (default Off)"),
    AP_INIT_TAKE1("NewsEventBase", mne_set_base, NULL, RSRC_CONF,
                  "URL path the archive is served under (default /news)"),
    AP_INIT_TAKE1("NewsEventTablePrefix", mne_set_prefix, NULL, RSRC_CONF,
                  "Prefix of the store's table names, so sites can share one database "
                  "(default none)"),
    AP_INIT_TAKE1("NewsEventCacheSize", mne_set_cache_size, NULL, RSRC_CONF,
                  "Bytes of rendered answers each Apache child keeps, 0 for none "
                  "(default 33554432)"),
    MNE_DIR_TAKE1("NewsEventRelated", mne_set_related,
                  "How many related events an event shows, 0 to 50 (default 5)"),
    MNE_DIR_TAKE1("NewsEventSiteTitle", mne_set_title,
                  "Site name shown in HTML pages (default News)"),
    MNE_DIR_TAKE1("NewsEventStylesheet", mne_set_stylesheet,
                  "URL of the site's stylesheet for HTML pages, or builtin (default)"),
    MNE_DIR_TAKE1("NewsEventHeaderFile", mne_set_header,
                  "A file of HTML put at the top of every page instead of the built-in "
                  "header, or none"),
    MNE_DIR_TAKE1("NewsEventFooterFile", mne_set_footer,
                  "A file of HTML added to the footer of every page, or none"),
    MNE_DIR_TAKE1("NewsEventLang", mne_set_lang,
                  "Language tag of the HTML pages (default en)"),
    AP_INIT_TAKE_ARGV("NewsEventFormats", mne_set_formats, NULL, RSRC_CONF | ACCESS_CONF,
                      "The formats served, in order of preference (default html json xml md)"),
    MNE_DIR_TAKE1("NewsEventDefaultFormat", mne_set_default_format,
                  "The format for clients that state no preference (default: the first of "
                  "NewsEventFormats)"),
    MNE_DIR_TAKE1("NewsEventPageSize", mne_set_page_size,
                  "Events per page of a month or a topic, and per feed, 1 to 1000 "
                  "(default 50)"),
    MNE_DIR_TAKE1("NewsEventListLimit", mne_set_list_limit,
                  "At most this many events in a day's page or the front page, 10 to 100000 "
                  "(default 1000)"),
    MNE_DIR_TAKE1("NewsEventFrontDays", mne_set_front_days,
                  "How many of the latest days the front page shows, 1 to 31 (default 3)"),
    MNE_DIR_TAKE1("NewsEventCacheControl", mne_set_cache_control,
                  "Cache-Control header of successful responses, or none (default none)"),
    {NULL}
};
