/* SPDX-License-Identifier: Apache-2.0 */
/* ne_log: how the core says what happened. The host installs a callback:
 * the module's glue passes each line to ap_log_rerror (or ap_log_error),
 * the tool writes it to standard error. Levels are syslog's, as Apache's
 * APLOG_* levels are, so the glue passes them through unchanged. */
#ifndef NE_LOG_H
#define NE_LOG_H

#include <apr_errno.h>

#define NE_LOG_EMERG   0
#define NE_LOG_ALERT   1
#define NE_LOG_CRIT    2
#define NE_LOG_ERR     3
#define NE_LOG_WARNING 4
#define NE_LOG_NOTICE  5
#define NE_LOG_INFO    6
#define NE_LOG_DEBUG   7

/* Where a line comes from, as APLOG_MARK gives it to Apache. */
#define NE_LOG_MARK __FILE__, __LINE__

typedef void ne_log_fn(void *baton, const char *file, int line, int level,
                       apr_status_t rv, const char *msg);

typedef struct ne_log {
    ne_log_fn *fn;            /* NULL: the core's lines go nowhere */
    void *baton;              /* the request, the server, the tool's stream */
    int max_level;            /* lines above it are not even formatted */
} ne_log_t;

/* One line, printf-style, cut at 1 KiB. Thread-safe: formatted on the
 * stack, and the callback is the host's. */
void ne_log(const ne_log_t *log, const char *file, int line, int level, apr_status_t rv,
            const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 6, 7)))
#endif
    ;

#endif
