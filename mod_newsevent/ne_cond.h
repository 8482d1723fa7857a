/* SPDX-License-Identifier: Apache-2.0 */
/* ne_cond: conditional requests evaluated in the order RFC 9110 section
 * 13.2.2 gives: If-Match, then If-Unmodified-Since only without If-Match,
 * then If-None-Match, then If-Modified-Since only without If-None-Match
 * (and only for GET and HEAD). Apache's ap_meets_conditions evaluates
 * If-Modified-Since beside a matching If-None-Match, as its own static
 * files do: hence this. */
#ifndef NE_COND_H
#define NE_COND_H

#include <apr_time.h>

typedef enum ne_cond {
    NE_COND_PROCEED,        /* send the representation (or do the method) */
    NE_COND_NOT_MODIFIED,   /* 304 */
    NE_COND_FAILED          /* 412 */
} ne_cond_e;

/* The request's precondition headers (NULL when absent) and whether its
 * method is GET or HEAD. */
typedef struct ne_cond_req {
    const char *if_match;
    const char *if_none_match;
    const char *if_modified_since;
    const char *if_unmodified_since;
    int get_or_head;
    apr_time_t now;           /* the request's time: a later If-Modified-Since is
                                 ignored, as Apache does (clocks differ) */
} ne_cond_req_t;

/* The outcome for a representation whose strong entity tag is etag
 * ("\"...\"", or NULL when there is none: no representation) and whose
 * last modification is last_modified (0 unknown). */
ne_cond_e ne_cond_evaluate(const ne_cond_req_t *c, const char *etag,
                           apr_time_t last_modified);

/* True when the field value (a list of entity tags, or "*") names etag:
 * weak comparison (W/ ignored on either side) or strong comparison (both
 * strong, the same). "*" matches any current representation. */
int ne_cond_etag_listed(const char *field, const char *etag, int strong);

#endif
