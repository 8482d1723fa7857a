/* SPDX-License-Identifier: Apache-2.0 */
/* How browsers and search engines find the archive: the OpenSearch 1.1
 * description of its search, and sitemaps (sitemaps.org 0.9): an index of
 * the months, and each month's events. Written with libxml2's
 * xmlTextWriter; every URL absolute, from the server's own origin. */
#include "ne_render.h"
#include "ne_date.h"

#include <string.h>
#include <apr_strings.h>
#include <libxml/xmlwriter.h>

#define NE_OPENSEARCH_NS "http://a9.com/-/spec/opensearch/1.1/"
#define NE_SITEMAP_NS "http://www.sitemaps.org/schemas/sitemap/0.9"

static xmlTextWriterPtr ne_disc_open(xmlBufferPtr buf, const char *root, const char *ns)
{
    xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);

    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterSetIndentString(w, BAD_CAST "  ");
    xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
    xmlTextWriterStartElementNS(w, NULL, BAD_CAST root, BAD_CAST ns);
    return w;
}

static void ne_disc_close(xmlTextWriterPtr w, xmlBufferPtr buf, ne_buf_t *out)
{
    xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    ne_buf_add(out, (const char *)xmlBufferContent(buf), (apr_size_t)xmlBufferLength(buf));
    xmlBufferFree(buf);
}

/* At most n characters of s, cut between characters. */
static const char *ne_disc_cut(apr_pool_t *p, const char *s, apr_size_t n)
{
    const char *c = s;

    while (*c && n > 0) {
        c++;
        while (((unsigned char)*c & 0xC0) == 0x80) {
            c++;
        }
        n--;
    }
    return apr_pstrmemdup(p, s, (apr_size_t)(c - s));
}

static void ne_disc_url(xmlTextWriterPtr w, const char *type, const char *rel,
                        const char *template)
{
    xmlTextWriterStartElement(w, BAD_CAST "Url");
    xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST type);
    if (rel != NULL) {
        xmlTextWriterWriteAttribute(w, BAD_CAST "rel", BAD_CAST rel);
    }
    xmlTextWriterWriteAttribute(w, BAD_CAST "template", BAD_CAST template);
    xmlTextWriterEndElement(w);
}

void ne_render_opensearch(ne_buf_t *out, const ne_render_opts_t *o)
{
    apr_pool_t *p = out->pool;
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = ne_disc_open(buf, "OpenSearchDescription", NE_OPENSEARCH_NS);
    const char *search = apr_pstrcat(p, o->origin, o->base, "/search", NULL);
    int i;

    /* ShortName: at most 16 characters; Description: at most 1024. */
    xmlTextWriterWriteElement(w, BAD_CAST "ShortName", BAD_CAST ne_disc_cut(p, o->site_title, 16));
    xmlTextWriterWriteElement(w, BAD_CAST "Description", BAD_CAST ne_disc_cut(p,
        apr_pstrcat(p, "Search the news archive of ", o->site_title, NULL), 1024));
    xmlTextWriterWriteElement(w, BAD_CAST "InputEncoding", BAD_CAST "UTF-8");
    xmlTextWriterWriteElement(w, BAD_CAST "OutputEncoding", BAD_CAST "UTF-8");
    xmlTextWriterWriteElement(w, BAD_CAST "Language", BAD_CAST o->lang);
    for (i = 0; i < o->formats->n; i++) {
        ne_format_e f = o->formats->order[i];
        if (f == NE_FMT_HTML || f == NE_FMT_JSON) {
            ne_disc_url(w, f == NE_FMT_HTML ? "text/html" : "application/json", NULL,
                        apr_pstrcat(p, search, ".", ne_format_ext(f),
                                    "?q={searchTerms}&page={startPage?}", NULL));
        }
    }
    ne_disc_url(w, NE_ATOM_MEDIA_TYPE, NULL,
                apr_pstrcat(p, search, ".atom?q={searchTerms}", NULL));
    ne_disc_url(w, NE_OPENSEARCH_MEDIA_TYPE, "self",
                apr_pstrcat(p, o->origin, o->base, "/opensearch.xml", NULL));
    ne_disc_close(w, buf, out);
}

/* An event's address in a sitemap: its HTML page where the location serves
 * one (the page's canonical link), else its negotiated URL. */
static const char *ne_disc_event(apr_pool_t *p, const ne_render_opts_t *o, const ne_event_t *ev)
{
    ne_format_e f = ne_format_set_has(o->formats, NE_FMT_HTML) ? NE_FMT_HTML : NE_FMT_NONE;

    return apr_pstrcat(p, o->origin, ne_url_event(p, o, ev->date, ev->slug, f), NULL);
}

void ne_render_sitemap(ne_buf_t *out, const ne_render_opts_t *o, const ne_sitemap_t *sm)
{
    apr_pool_t *p = out->pool;
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = ne_disc_open(buf, sm->month ? "urlset" : "sitemapindex",
                                      NE_SITEMAP_NS);
    int i;

    for (i = 0; sm->month == NULL && i < sm->months->nelts; i++) {
        const char *month = APR_ARRAY_IDX(sm->months, i, const char *);
        const char *path;
        if (strlen(month) != 7 || strspn(month, "0123456789") != 4 || month[4] != '-'
            || strspn(month + 5, "0123456789") != 2) {
            continue;                           /* not "YYYY-MM": bad stored data */
        }
        path = apr_psprintf(p, "%s%s/%.4s/%.2s/sitemap.xml", o->origin, o->base, month,
                            month + 5);
        xmlTextWriterStartElement(w, BAD_CAST "sitemap");
        xmlTextWriterWriteElement(w, BAD_CAST "loc", BAD_CAST path);
        xmlTextWriterEndElement(w);
    }
    for (i = 0; sm->month != NULL && i < sm->events->nelts; i++) {
        const ne_event_t *ev = &APR_ARRAY_IDX(sm->events, i, ne_event_t);
        xmlTextWriterStartElement(w, BAD_CAST "url");
        xmlTextWriterWriteElement(w, BAD_CAST "loc", BAD_CAST ne_disc_event(p, o, ev));
        apr_time_t t;
        if (ne_timestamp_parse(ev->updated, &t)) {
            xmlTextWriterWriteElement(w, BAD_CAST "lastmod", BAD_CAST ev->updated);
        }
        xmlTextWriterEndElement(w);
    }
    ne_disc_close(w, buf, out);
}
