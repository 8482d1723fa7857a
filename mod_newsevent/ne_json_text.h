/* SPDX-License-Identifier: Apache-2.0 */
/* ne_json_text: a jansson tree as JSON text, straight into a pool buffer,
 * in the very layout json_dumps(JSON_INDENT(2)) gives. jansson decodes and
 * checks every UTF-8 sequence of every string as it writes; the store's
 * text is already clean UTF-8 (ne_text_clean), so only the bytes JSON
 * escapes need looking at, which is the most of a list's rendering time
 * saved (tests/bench/README.md). */
#ifndef NE_JSON_TEXT_H
#define NE_JSON_TEXT_H

#include <jansson.h>
#include "ne_buf.h"

/* Append doc as JSON text; its strings must be valid UTF-8. */
void ne_json_text(ne_buf_t *out, const json_t *doc);

/* Append one NUL-terminated UTF-8 string as a JSON string. */
void ne_json_string(ne_buf_t *out, const char *s);

#endif
