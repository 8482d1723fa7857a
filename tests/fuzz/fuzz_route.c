/* SPDX-License-Identifier: Apache-2.0 */
/* ne_route_parse on any path: a kind, and for what it names, a canonical
 * key, slug and redirect target that route again to what they claim. */
#include "fuzz_common.h"
#include "ne_route.h"
#include "ne_slug.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = ne_fuzz_pool();
    const char *path = ne_fuzz_str(p, data, size);
    ne_route_t rt, again;
    ne_route_kind_e kind = ne_route_parse(p, "/news", path, &rt);

    if (kind == NE_ROUTE_EVENT || kind == NE_ROUTE_TOPIC || kind == NE_ROUTE_TOPIC_FEED) {
        NE_FUZZ_ASSERT(ne_slug_valid(rt.slug, strlen(rt.slug)));
    }
    if (kind == NE_ROUTE_REDIRECT) {
        /* A redirect leads to a canonical URL, never to another redirect. */
        ne_route_kind_e k2 = ne_route_parse(p, "/news", rt.location, &again);
        NE_FUZZ_ASSERT(k2 != NE_ROUTE_REDIRECT && k2 != NE_ROUTE_NOT_OURS);
    }
    if (strncmp(path, "/news", 5) != 0) {
        NE_FUZZ_ASSERT(kind == NE_ROUTE_NOT_OURS);
    }
    apr_pool_destroy(p);
    return 0;
}
