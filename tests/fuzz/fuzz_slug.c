/* SPDX-License-Identifier: Apache-2.0 */
/* ne_slug_make on any text: always a valid slug of at most 140 bytes, and
 * the same twice; escaping any text for HTML and Markdown stays in bounds. */
#include "fuzz_common.h"
#include "ne_slug.h"
#include "ne_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = ne_fuzz_pool();
    const char *text = ne_fuzz_str(p, data, size);
    const char *slug = ne_slug_make(p, text);
    const char *clean = ne_text_clean(p, text);
    ne_buf_t *b = ne_buf_make(p, 16);

    NE_FUZZ_ASSERT(ne_slug_valid(slug, strlen(slug)));
    NE_FUZZ_ASSERT(strlen(slug) <= NE_SLUG_SOURCE_CHARS);
    NE_FUZZ_ASSERT(strcmp(slug, ne_slug_make(p, text)) == 0);
    NE_FUZZ_ASSERT(ne_text_is_clean(clean));
    ne_esc_html(b, clean);
    NE_FUZZ_ASSERT(strchr(ne_buf_str(b), '<') == NULL && strchr(ne_buf_str(b), '"') == NULL);
    ne_esc_md(b, clean);
    ne_esc_md_url(b, clean);
    apr_pool_destroy(p);
    return 0;
}
