/* SPDX-License-Identifier: Apache-2.0 */
/* What the HTML renderers share (ne_render_html.c, ne_render_html_list.c). */
#ifndef NE_RENDER_HTML_H
#define NE_RENDER_HTML_H

#include "ne_render.h"

extern const char ne_html_css[];

/* <time datetime="D">D</time>, escaped. */
void ne_html_time(ne_buf_t *out, const char *date);
void ne_html_link(ne_buf_t *out, const char *href, const char *text);
/* <!DOCTYPE> to <main>: title, canonical and alternate links (urls per
 * format, or NULL), the feed's link (or NULL), the stylesheet, the header. */
void ne_html_head(ne_buf_t *out, const ne_render_opts_t *o, const char *title,
                  const char *const *urls, const char *feed);
/* </main> to </html>, with links to the other formats (urls or NULL). */
void ne_html_foot(ne_buf_t *out, const ne_render_opts_t *o, const char *const *urls);
/* The lists above one, as a breadcrumb trail ending in `here`'s text, or,
 * when here is NULL, in a link to the list itself. */
void ne_html_crumbs(ne_buf_t *out, const ne_render_opts_t *o, ne_list_kind_e kind,
                    const char *key, const char *here);
/* The URLs of a list in every format. */
const char **ne_html_list_urls(apr_pool_t *p, const ne_render_opts_t *o, ne_list_kind_e kind,
                               const char *key, int page);

#endif
