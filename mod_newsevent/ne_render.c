#include "ne_render.h"

#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>

/* "YYYY-MM-DD" -> "YYYY/MM/DD" */
static const char *ne_url_date(apr_pool_t *p, const char *date)
{
    char *s = apr_pstrdup(p, date);

    if (strlen(s) == 10) {
        s[4] = s[7] = '/';
    }
    return s;
}

static const char *ne_url_ext(ne_format_e f)
{
    return f == NE_FMT_NONE ? "" : ne_format_ext(f);
}

const char *ne_url_event(apr_pool_t *p, const ne_render_opts_t *o, const char *date,
                         const char *slug, ne_format_e f)
{
    return apr_pstrcat(p, o->base, "/", ne_url_date(p, date), "/", slug,
                       f == NE_FMT_NONE ? "" : ".", ne_url_ext(f), NULL);
}

const char *ne_url_day(apr_pool_t *p, const ne_render_opts_t *o, const char *date,
                       ne_format_e f)
{
    return apr_pstrcat(p, o->base, "/", ne_url_date(p, date), "/",
                       f == NE_FMT_NONE ? "" : "index.", ne_url_ext(f), NULL);
}

const char *ne_url_topic(apr_pool_t *p, const ne_render_opts_t *o, const char *slug,
                         ne_format_e f)
{
    return apr_pstrcat(p, o->base, "/topics/", slug, f == NE_FMT_NONE ? "" : ".",
                       ne_url_ext(f), NULL);
}

apr_array_header_t *ne_day_grouped(apr_pool_t *p, const ne_day_t *day)
{
    apr_array_header_t *out = apr_array_make(p, day->events->nelts, sizeof(ne_event_t *));
    apr_hash_t *done = apr_hash_make(p);
    int i, j;

    for (i = 0; i < day->events->nelts; i++) {
        const char *cat = APR_ARRAY_IDX(day->events, i, ne_event_t).category;
        if (apr_hash_get(done, cat, APR_HASH_KEY_STRING)) {
            continue;
        }
        apr_hash_set(done, cat, APR_HASH_KEY_STRING, "");
        for (j = i; j < day->events->nelts; j++) {
            ne_event_t *ev = &APR_ARRAY_IDX(day->events, j, ne_event_t);
            if (strcmp(ev->category, cat) == 0) {
                APR_ARRAY_PUSH(out, ne_event_t *) = ev;
            }
        }
    }
    return out;
}

void ne_render_event(ne_buf_t *out, const ne_render_opts_t *o, ne_format_e f,
                     const ne_event_t *ev)
{
    switch (f) {
    case NE_FMT_JSON: ne_render_event_json(out, o, ev); break;
    case NE_FMT_XML: ne_render_event_xml(out, o, ev); break;
    case NE_FMT_MD: ne_render_event_md(out, o, ev); break;
    default: ne_render_event_html(out, o, ev); break;
    }
}

void ne_render_day(ne_buf_t *out, const ne_render_opts_t *o, ne_format_e f,
                   const ne_day_t *day)
{
    switch (f) {
    case NE_FMT_JSON: ne_render_day_json(out, o, day); break;
    case NE_FMT_XML: ne_render_day_xml(out, o, day); break;
    case NE_FMT_MD: ne_render_day_md(out, o, day); break;
    default: ne_render_day_html(out, o, day); break;
    }
}

void ne_render_problem(ne_buf_t *out, const ne_render_opts_t *o, ne_format_e f,
                       const ne_problem_t *pb)
{
    switch (f) {
    case NE_FMT_JSON: ne_render_problem_json(out, o, pb); break;
    case NE_FMT_XML: ne_render_problem_xml(out, o, pb); break;
    case NE_FMT_MD: ne_render_problem_md(out, o, pb); break;
    default: ne_render_problem_html(out, o, pb); break;
    }
}

const char *ne_problem_media_type(ne_format_e f)
{
    switch (f) {
    case NE_FMT_JSON: return "application/problem+json";
    case NE_FMT_XML: return "application/problem+xml; charset=utf-8";
    default: return ne_format_media_type(f == NE_FMT_NONE ? NE_FMT_HTML : f);
    }
}
