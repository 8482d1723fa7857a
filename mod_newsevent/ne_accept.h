/* SPDX-License-Identifier: Apache-2.0 */
/* ne_accept: HTTP content negotiation (RFC 9110 section 12.5.1) over the
 * archive's representations. */
#ifndef NE_ACCEPT_H
#define NE_ACCEPT_H

#include "ne_format.h"

/* The representation an Accept header asks for, among `offered` (in the
 * server's order of preference), or NE_FMT_NONE when none is acceptable.
 *
 * Each type takes the quality of the most specific range that matches it
 * (equally specific ranges: the highest quality); q=0 excludes. The highest
 * quality wins; ties go to the type named by the more specific range, then
 * to `preferred` (when offered), then to the offered order. A missing or
 * empty header, or one with no well-formed range, means "*" "/" "*".
 * Malformed ranges are skipped. Work is linear in the header's length. */
ne_format_e ne_accept_choose(const char *accept, const ne_format_set_t *offered,
                             ne_format_e preferred);

#endif
