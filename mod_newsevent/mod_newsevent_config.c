/* SPDX-License-Identifier: Apache-2.0 */
/* The configuration of mod_newsevent: create and merge, a request's
 * merged settings, and the check of the whole (a DBDriver for every server
 * that serves the archive, its statements registered with mod_dbd). The
 * directives themselves: mod_newsevent_directives.c. */
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
    dc->search = -1;
    dc->write = -1;
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
    dc->csp = add->csp ? add->csp : base->csp;
    dc->cors = add->cors ? add->cors : base->cors;
    dc->search = add->search != -1 ? add->search : base->search;
    dc->search_page_size = add->search_page_size ? add->search_page_size
                                                 : base->search_page_size;
    dc->write = add->write != -1 ? add->write : base->write;
    dc->write_limit = add->write_limit ? add->write_limit : base->write_limit;
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
    o->search = dc->search != 0;
    rc->write = dc->write == 1;
    rc->write_limit = dc->write_limit ? dc->write_limit : MNE_DEFAULT_WRITE_LIMIT;
    rc->search_page_size = dc->search_page_size ? dc->search_page_size
                                                : MNE_DEFAULT_SEARCH_PAGE_SIZE;
    rc->csp = mne_headers_csp(r->pool, dc, o);
    rc->cors = dc->cors && dc->cors->nelts > 0 ? dc->cors : NULL;
}

/* mod_dbd keeps no public way to read a server's driver. Its per-server
 * config begins with a pointer to the public dbd_cfg_t of mod_dbd.h, in
 * every 2.4 release; the name is "[DBDriver unset]" until DBDriver. */
dbd_cfg_t *mne_dbd_cfg(server_rec *s)
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

const char *mne_site_name(const request_rec *r)
{
    return r->server->server_hostname ? r->server->server_hostname : "this server";
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

