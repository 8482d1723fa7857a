/* ne_render: records to bytes, one file per format. Renderers know nothing
 * of HTTP; what they write is complete and escaped for its format. */
#ifndef NE_RENDER_H
#define NE_RENDER_H

#include "ne_buf.h"
#include "ne_event.h"
#include "ne_format.h"

typedef struct ne_render_opts {
    const char *base;         /* "/news": every link starts with it */
    const char *site_title;   /* shown in HTML titles and headers */
    const char *stylesheet;   /* a site's stylesheet URL, or NULL: built-in */
    const char *lang;         /* HTML lang */
    const ne_format_set_t *formats;  /* served: the sibling links made */
} ne_render_opts_t;

/* An error as RFC 9457 describes it, in any of the four formats. */
typedef struct ne_problem {
    int status;               /* 404 */
    const char *title;        /* "Not Found" */
    const char *detail;       /* one sentence for a person */
    const char *instance;     /* the request path */
    const char *const *alternates;  /* 406: URL per format, or NULL */
} ne_problem_t;

/* The namespace of the XML documents. */
#define NE_XML_NS "https://mod-newsevent.org/ns/archive/1"
/* The namespace RFC 9457 gives problem details in XML. */
#define NE_PROBLEM_NS "urn:ietf:rfc:7807"

void ne_render_event(ne_buf_t *out, const ne_render_opts_t *o, ne_format_e f,
                     const ne_event_t *ev);
void ne_render_day(ne_buf_t *out, const ne_render_opts_t *o, ne_format_e f,
                   const ne_day_t *day);

void ne_render_problem(ne_buf_t *out, const ne_render_opts_t *o, ne_format_e f,
                       const ne_problem_t *pb);
/* The Content-Type of a problem in f: application/problem+json and
 * application/problem+xml for the data formats. */
const char *ne_problem_media_type(ne_format_e f);

/* Per format. */
void ne_render_event_html(ne_buf_t *out, const ne_render_opts_t *o, const ne_event_t *ev);
void ne_render_event_json(ne_buf_t *out, const ne_render_opts_t *o, const ne_event_t *ev);
void ne_render_event_xml(ne_buf_t *out, const ne_render_opts_t *o, const ne_event_t *ev);
void ne_render_event_md(ne_buf_t *out, const ne_render_opts_t *o, const ne_event_t *ev);
void ne_render_day_html(ne_buf_t *out, const ne_render_opts_t *o, const ne_day_t *day);
void ne_render_day_json(ne_buf_t *out, const ne_render_opts_t *o, const ne_day_t *day);
void ne_render_day_xml(ne_buf_t *out, const ne_render_opts_t *o, const ne_day_t *day);
void ne_render_day_md(ne_buf_t *out, const ne_render_opts_t *o, const ne_day_t *day);
void ne_render_problem_html(ne_buf_t *out, const ne_render_opts_t *o, const ne_problem_t *pb);
void ne_render_problem_json(ne_buf_t *out, const ne_render_opts_t *o, const ne_problem_t *pb);
void ne_render_problem_xml(ne_buf_t *out, const ne_render_opts_t *o, const ne_problem_t *pb);
void ne_render_problem_md(ne_buf_t *out, const ne_render_opts_t *o, const ne_problem_t *pb);

/* Links. f == NE_FMT_NONE gives the negotiated URL (no extension; a day's
 * ends in "/"). Dates are "YYYY-MM-DD". */
const char *ne_url_event(apr_pool_t *p, const ne_render_opts_t *o, const char *date,
                         const char *slug, ne_format_e f);
const char *ne_url_day(apr_pool_t *p, const ne_render_opts_t *o, const char *date,
                       ne_format_e f);
const char *ne_url_topic(apr_pool_t *p, const ne_render_opts_t *o, const char *slug,
                         ne_format_e f);

/* A day's events grouped by category, groups in order of first appearance,
 * events in import order within each: ne_event_t pointers. */
apr_array_header_t *ne_day_grouped(apr_pool_t *p, const ne_day_t *day);

#endif
