/* SPDX-License-Identifier: Apache-2.0 */
/* ne_render: records and lists to bytes, one file per format. Renderers
 * know nothing of HTTP; what they write is complete and escaped for its
 * format. */
#ifndef NE_RENDER_H
#define NE_RENDER_H

#include "ne_buf.h"
#include "ne_event.h"
#include "ne_format.h"
#include "ne_url.h"

typedef struct ne_render_opts {
    const char *base;         /* "/news": every link starts with it */
    const char *site_title;   /* shown in HTML titles and headers */
    const char *stylesheet;   /* a site's stylesheet URL, or NULL: built-in */
    const char *lang;         /* HTML lang */
    const ne_format_set_t *formats;  /* served: the sibling links made */
    const char *origin;       /* "https://host[:port]", for the feeds' absolute URLs */
    const char *header_html;  /* the site's own header markup (trusted), or NULL */
    const char *footer_html;  /* the site's own footer markup (trusted), or NULL */
    int search;               /* search is on: pages carry its form and link */
} ne_render_opts_t;

/* An error as RFC 9457 describes it, in any of the four formats. */
typedef struct ne_problem {
    int status;               /* 404 */
    const char *title;        /* "Not Found" */
    const char *detail;       /* one sentence for a person */
    const char *instance;     /* the request path */
    const char *const *alternates;  /* 406: URL per format, or NULL */
} ne_problem_t;

/* A feed: the latest events, of the archive, of one topic, or of a
 * search. */
typedef struct ne_feed {
    const char *topic_slug;   /* NULL for the archive's feed */
    const char *topic_name;
    const char *search_key;   /* a search's query string (q=...), or NULL */
    const char *search_text;  /* and its query as understood */
    apr_array_header_t *events;   /* ne_event_t, newest first, with bodies (a
                                     search's: with snippets) */
} ne_feed_t;

/* The namespace of the XML documents. */
#define NE_XML_NS "https://mod-newsevent.org/ns/archive/1"
/* The namespace RFC 9457 gives problem details in XML. */
#define NE_PROBLEM_NS "urn:ietf:rfc:7807"

void ne_render_event(ne_buf_t *out, const ne_render_opts_t *o, ne_format_e f,
                     const ne_event_t *ev);
void ne_render_list(ne_buf_t *out, const ne_render_opts_t *o, ne_format_e f,
                    const ne_list_t *list);
void ne_render_problem(ne_buf_t *out, const ne_render_opts_t *o, ne_format_e f,
                       const ne_problem_t *pb);
/* Atom (RFC 4287). */
void ne_render_feed(ne_buf_t *out, const ne_render_opts_t *o, const ne_feed_t *feed);

/* OpenSearch 1.1's description of the archive's search, and sitemaps
 * (ne_render_discovery.c). Absolute URLs, from o->origin. */
void ne_render_opensearch(ne_buf_t *out, const ne_render_opts_t *o);
void ne_render_sitemap(ne_buf_t *out, const ne_render_opts_t *o, const ne_sitemap_t *sm);
#define NE_OPENSEARCH_MEDIA_TYPE "application/opensearchdescription+xml"
#define NE_SITEMAP_MEDIA_TYPE "application/xml; charset=utf-8"

/* The Content-Type of a problem in f: application/problem+json and
 * application/problem+xml for the data formats. */
const char *ne_problem_media_type(ne_format_e f);
#define NE_ATOM_MEDIA_TYPE "application/atom+xml"

/* Per format. */
void ne_render_event_html(ne_buf_t *out, const ne_render_opts_t *o, const ne_event_t *ev);
void ne_render_event_json(ne_buf_t *out, const ne_render_opts_t *o, const ne_event_t *ev);
void ne_render_event_xml(ne_buf_t *out, const ne_render_opts_t *o, const ne_event_t *ev);
void ne_render_event_md(ne_buf_t *out, const ne_render_opts_t *o, const ne_event_t *ev);
void ne_render_list_html(ne_buf_t *out, const ne_render_opts_t *o, const ne_list_t *l);
void ne_render_list_json(ne_buf_t *out, const ne_render_opts_t *o, const ne_list_t *l);
void ne_render_list_xml(ne_buf_t *out, const ne_render_opts_t *o, const ne_list_t *l);
void ne_render_list_md(ne_buf_t *out, const ne_render_opts_t *o, const ne_list_t *l);
void ne_render_problem_html(ne_buf_t *out, const ne_render_opts_t *o, const ne_problem_t *pb);
void ne_render_problem_json(ne_buf_t *out, const ne_render_opts_t *o, const ne_problem_t *pb);
void ne_render_problem_xml(ne_buf_t *out, const ne_render_opts_t *o, const ne_problem_t *pb);
void ne_render_problem_md(ne_buf_t *out, const ne_render_opts_t *o, const ne_problem_t *pb);

#endif
