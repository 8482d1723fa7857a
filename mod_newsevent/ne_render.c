/* SPDX-License-Identifier: Apache-2.0 */
/* ne_render: the dispatch to each format's renderer. */
#include "ne_render.h"

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

void ne_render_list(ne_buf_t *out, const ne_render_opts_t *o, ne_format_e f,
                    const ne_list_t *list)
{
    switch (f) {
    case NE_FMT_JSON: ne_render_list_json(out, o, list); break;
    case NE_FMT_XML: ne_render_list_xml(out, o, list); break;
    case NE_FMT_MD: ne_render_list_md(out, o, list); break;
    default: ne_render_list_html(out, o, list); break;
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
