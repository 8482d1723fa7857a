/* SPDX-License-Identifier: Apache-2.0 */
/* newsevent_reader: the import's reader. A thread parses and validates the
 * lines of a JSON Lines file, a few hundred at a time, while the caller
 * stores the ones before: parsing is a third of an import, and a machine
 * has more than one core. */
#ifndef NEWSEVENT_READER_H
#define NEWSEVENT_READER_H

#include <jansson.h>
#include <apr_file_io.h>
#include <apr_pools.h>
#include "ne_event.h"
#include "ne_record.h"

/* One line's record, or why it is not one. */
typedef struct tool_parsed {
    ne_event_t ev;
    const char *base;     /* the headline's slug when the record has none */
    const char *error;    /* "invalid JSON at column 3: ...", "field 'date' ..." */
    apr_array_header_t *repairs;  /* ne_record_repair_t: invisible characters dropped */
    int unreadable;       /* the error is the file's, not the record's */
    int is_absent;        /* the line is a URL without an event (absent), not ev */
    ne_absent_t absent;
    int lineno;
    apr_size_t end;       /* the file's bytes read up to the end of this line */
} tool_parsed_t;

typedef struct tool_reader tool_reader_t;

/* Bytes read from a file, in a malloc'd buffer that doubles as it needs
 * (a pool would keep every smaller one). */
typedef struct tool_bytes {
    char *data;
    apr_size_t len, cap;
} tool_bytes_t;

/* Room in b for `more` bytes after the len it holds. */
apr_status_t tool_bytes_reserve(tool_bytes_t *b, apr_size_t more);

/* The length of the run of `blanks` at p, within n bytes (what is read of
 * a file has no terminating NUL). */
apr_size_t tool_blank_len(const char *p, apr_size_t n, const char *blanks);

/* Validate one JSON value into *it (error set on failure), in pool. */
void tool_reader_record(apr_pool_t *pool, json_t *obj, tool_parsed_t *it);

/* Start reading: head (head_len bytes the caller has read already), then
 * the rest of file, to its end (unless head_is_all: the caller met it). The
 * thread is stopped and joined before pool's subpools go. keep_going: read
 * on past an invalid record (import --skip-invalid). */
apr_status_t tool_reader_start(tool_reader_t **out, apr_pool_t *pool, apr_file_t *file,
                               const char *head, apr_size_t head_len, int head_is_all,
                               int keep_going);

/* The next non-blank line, in file order, or NULL after the last. The
 * reader stops after a line in error (which it returns) unless told to
 * keep going, and always after an unreadable file. What it returns is
 * valid until the next call. */
const tool_parsed_t *tool_reader_next(tool_reader_t *r);

/* The number of lines read, blank ones included, and of bytes (once next
 * has given NULL, or after tool_reader_stop). */
int tool_reader_lines(const tool_reader_t *r, apr_size_t *bytes);

/* Stop the thread and wait for it (the caller wants no more lines). */
void tool_reader_stop(tool_reader_t *r);

#endif
