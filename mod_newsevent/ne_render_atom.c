/* SPDX-License-Identifier: Apache-2.0 */
/* Atom feeds (RFC 4287), written with libxml2's xmlTextWriter: the
 * archive's latest events, or a topic's. Links are absolute, from the
 * origin the glue gives. */
#include "ne_render.h"
#include "ne_date.h"
#include "ne_text.h"

#include <string.h>
#include <apr_strings.h>
#include <libxml/xmlwriter.h>

#define NE_ATOM_NS "http://www.w3.org/2005/Atom"

static void ne_atom_link(xmlTextWriterPtr w, const char *rel, const char *type,
                         const char *href)
{
    xmlTextWriterStartElement(w, BAD_CAST "link");
    xmlTextWriterWriteAttribute(w, BAD_CAST "rel", BAD_CAST rel);
    if (type != NULL) {
        xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST type);
    }
    xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST href);
    xmlTextWriterEndElement(w);
}

/* A valid RFC 3339 time for an entry, even when the store has none. */
static const char *ne_atom_updated(apr_pool_t *p, const ne_event_t *ev)
{
    apr_time_t t;

    return ne_timestamp_parse(ev->updated, &t) ? ev->updated
                                               : apr_pstrcat(p, ev->date, "T00:00:00Z", NULL);
}

/* The summary: a search's snippet, the body's first paragraph, or the
 * headline. */
static const char *ne_atom_summary(apr_pool_t *p, const ne_event_t *ev)
{
    const char *body = ev->body, *para;
    apr_size_t n;

    if (ev->snippet != NULL) {
        apr_array_header_t *pieces = ne_snippet_pieces(p, ev->snippet);
        const char *text = "";
        int i;
        for (i = 0; i < pieces->nelts; i++) {
            text = apr_pstrcat(p, text, APR_ARRAY_IDX(pieces, i, ne_snippet_piece_t).text,
                               NULL);
        }
        return *text ? text : ev->headline;
    }
    para = ne_text_paragraph(&body, &n);
    return para ? apr_pstrndup(p, para, n) : ev->headline;
}

static void ne_atom_entry(xmlTextWriterPtr w, apr_pool_t *p, const ne_render_opts_t *o,
                          const ne_event_t *ev)
{
    ne_format_e page = ne_format_set_has(o->formats, NE_FMT_HTML) ? NE_FMT_HTML : NE_FMT_NONE;

    xmlTextWriterStartElement(w, BAD_CAST "entry");
    xmlTextWriterWriteElement(w, BAD_CAST "id", BAD_CAST apr_pstrcat(p, o->origin,
        ne_url_event(p, o, ev->date, ev->slug, NE_FMT_NONE), NULL));
    xmlTextWriterWriteElement(w, BAD_CAST "title", BAD_CAST ev->headline);
    xmlTextWriterWriteElement(w, BAD_CAST "updated", BAD_CAST ne_atom_updated(p, ev));
    ne_atom_link(w, "alternate", page == NE_FMT_HTML ? "text/html" : NULL,
                 apr_pstrcat(p, o->origin, ne_url_event(p, o, ev->date, ev->slug, page), NULL));
    if (*ev->category) {
        xmlTextWriterStartElement(w, BAD_CAST "category");
        xmlTextWriterWriteAttribute(w, BAD_CAST "term", BAD_CAST ev->category);
        xmlTextWriterEndElement(w);
    }
    xmlTextWriterWriteElement(w, BAD_CAST "summary", BAD_CAST ne_atom_summary(p, ev));
    xmlTextWriterEndElement(w);
}

void ne_render_feed(ne_buf_t *out, const ne_render_opts_t *o, const ne_feed_t *feed)
{
    apr_pool_t *p = out->pool;
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
    const char *self = apr_pstrcat(p, o->origin, feed->search_key
                                   ? ne_url_search_feed(p, o, feed->search_key)
                                   : ne_url_feed(p, o, feed->topic_slug), NULL);
    const char *home = apr_pstrcat(p, o->origin, feed->search_key
                                   ? ne_url_list(p, o, NE_LIST_SEARCH, feed->search_key,
                                                 NE_FMT_NONE, 1)
                                   : feed->topic_slug
                                   ? ne_url_topic(p, o, feed->topic_slug, NE_FMT_NONE)
                                   : apr_pstrcat(p, o->base, "/", NULL), NULL);
    const char *title = feed->search_key
                        ? apr_pstrcat(p, o->site_title, ": Search: ", feed->search_text, NULL)
                        : feed->topic_slug
                        ? apr_pstrcat(p, o->site_title, ": ", feed->topic_name, NULL)
                        : o->site_title;
    const char *updated = "1970-01-01T00:00:00Z";
    int i;

    for (i = 0; i < feed->events->nelts; i++) {
        const char *u = ne_atom_updated(p, &APR_ARRAY_IDX(feed->events, i, ne_event_t));
        updated = strcmp(u, updated) > 0 ? u : updated;   /* same shape: text order */
    }
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterSetIndentString(w, BAD_CAST "  ");
    xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
    xmlTextWriterStartElementNS(w, NULL, BAD_CAST "feed", BAD_CAST NE_ATOM_NS);
    xmlTextWriterWriteElement(w, BAD_CAST "id", BAD_CAST self);
    xmlTextWriterWriteElement(w, BAD_CAST "title", BAD_CAST title);
    xmlTextWriterWriteElement(w, BAD_CAST "updated", BAD_CAST updated);
    ne_atom_link(w, "self", NE_ATOM_MEDIA_TYPE, self);
    ne_atom_link(w, "alternate", "text/html", home);
    xmlTextWriterStartElement(w, BAD_CAST "author");
    xmlTextWriterWriteElement(w, BAD_CAST "name", BAD_CAST o->site_title);
    xmlTextWriterEndElement(w);
    for (i = 0; i < feed->events->nelts; i++) {
        ne_atom_entry(w, p, o, &APR_ARRAY_IDX(feed->events, i, ne_event_t));
    }
    xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    ne_buf_add(out, (const char *)xmlBufferContent(buf), (apr_size_t)xmlBufferLength(buf));
    xmlBufferFree(buf);
}
