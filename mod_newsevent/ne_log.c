/* SPDX-License-Identifier: Apache-2.0 */
/* ne_log: the core's lines, handed to the host's callback. */
#include "ne_log.h"

#include <stdarg.h>
#include <apr_strings.h>

void ne_log(const ne_log_t *log, const char *file, int line, int level, apr_status_t rv,
            const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    if (log == NULL || log->fn == NULL || level > log->max_level) {
        return;
    }
    va_start(ap, fmt);
    apr_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    log->fn(log->baton, file, line, level, rv, msg);
}
