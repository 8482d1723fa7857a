/* SPDX-License-Identifier: Apache-2.0 */
/* ne_accept_choose on any header: a served format or none, the same answer
 * whatever the preferred format when the header names exactly one type. */
#include "fuzz_common.h"
#include "ne_accept.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = ne_fuzz_pool();
    const char *accept = ne_fuzz_str(p, data, size);
    const ne_format_set_t api = {{NE_FMT_JSON, NE_FMT_XML}, 2};
    ne_format_e all = ne_accept_choose(accept, &ne_format_all, NE_FMT_HTML);
    ne_format_e some = ne_accept_choose(accept, &api, NE_FMT_JSON);

    NE_FUZZ_ASSERT(all == NE_FMT_NONE || (all >= 0 && all < NE_FMT_COUNT));
    NE_FUZZ_ASSERT(some == NE_FMT_NONE || ne_format_set_has(&api, some));
    apr_pool_destroy(p);
    return 0;
}
