/* SPDX-License-Identifier: Apache-2.0 */
#include "ne_json_text.h"
#include "ne_text.h"

#include <stdlib.h>
#include <string.h>

#define NE_JSON_INDENT 2

static void ne_jt_newline(ne_buf_t *out, int depth)
{
    static const char spaces[] = "                                ";
    int n = depth * NE_JSON_INDENT;

    ne_buf_putc(out, '\n');
    for (; n > 0; n -= (int)sizeof(spaces) - 1) {
        ne_buf_add(out, spaces, n < (int)sizeof(spaces) - 1 ? (apr_size_t)n
                                                            : sizeof(spaces) - 1);
    }
}

/* How many of the first n bytes at s JSON carries as they are: not '"',
 * '\\' or a control character (8 bytes at a time, as ne_ascii_run). */
static apr_size_t ne_jt_plain_run(const unsigned char *s, apr_size_t n)
{
    apr_size_t i = 0;
    apr_uint64_t x;

    for (; i + 8 <= n; i += 8) {
        memcpy(&x, s + i, 8);
        if ((NE_BYTES_BELOW(x, 0x20) | NE_BYTES_EQUAL(x, '"') | NE_BYTES_EQUAL(x, '\\')) != 0) {
            break;
        }
    }
    while (i < n && s[i] >= 0x20 && s[i] != '"' && s[i] != '\\') {
        i++;
    }
    return i;
}

/* Runs of plain bytes are copied whole; '"', '\\' and control characters
 * are escaped as jansson escapes them. */
static void ne_jt_string(ne_buf_t *out, const char *s, apr_size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *end = s + n;
    char esc[6] = {'\\', 'u', '0', '0', '0', '0'};

    ne_buf_putc(out, '"');
    for (;;) {
        apr_size_t run = ne_jt_plain_run((const unsigned char *)s, (apr_size_t)(end - s));
        unsigned char c;
        ne_buf_add(out, s, run);
        if ((s += run) == end) {
            break;
        }
        switch (c = (unsigned char)*s++) {
        case '"': ne_buf_add(out, "\\\"", 2); break;
        case '\\': ne_buf_add(out, "\\\\", 2); break;
        case '\b': ne_buf_add(out, "\\b", 2); break;
        case '\f': ne_buf_add(out, "\\f", 2); break;
        case '\n': ne_buf_add(out, "\\n", 2); break;
        case '\r': ne_buf_add(out, "\\r", 2); break;
        case '\t': ne_buf_add(out, "\\t", 2); break;
        default:
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            ne_buf_add(out, esc, sizeof(esc));
            break;
        }
    }
    ne_buf_putc(out, '"');
}

void ne_json_string(ne_buf_t *out, const char *s)
{
    ne_jt_string(out, s, strlen(s));
}

static void ne_jt_value(ne_buf_t *out, const json_t *v, int depth);

static void ne_jt_object(ne_buf_t *out, const json_t *obj, int depth)
{
    const char *key;
    json_t *val;
    int first = 1;

    if (json_object_size(obj) == 0) {
        ne_buf_add(out, "{}", 2);
        return;
    }
    ne_buf_putc(out, '{');
    json_object_foreach((json_t *)obj, key, val) {
        if (!first) {
            ne_buf_putc(out, ',');
        }
        first = 0;
        ne_jt_newline(out, depth + 1);
        ne_jt_string(out, key, strlen(key));
        ne_buf_add(out, ": ", 2);
        ne_jt_value(out, val, depth + 1);
    }
    ne_jt_newline(out, depth);
    ne_buf_putc(out, '}');
}

static void ne_jt_array(ne_buf_t *out, const json_t *arr, int depth)
{
    size_t i, n = json_array_size(arr);

    if (n == 0) {
        ne_buf_add(out, "[]", 2);
        return;
    }
    ne_buf_putc(out, '[');
    for (i = 0; i < n; i++) {
        if (i > 0) {
            ne_buf_putc(out, ',');
        }
        ne_jt_newline(out, depth + 1);
        ne_jt_value(out, json_array_get(arr, i), depth + 1);
    }
    ne_jt_newline(out, depth);
    ne_buf_putc(out, ']');
}

static void ne_jt_value(ne_buf_t *out, const json_t *v, int depth)
{
    char *text;

    switch (json_typeof(v)) {
    case JSON_OBJECT: ne_jt_object(out, v, depth); break;
    case JSON_ARRAY: ne_jt_array(out, v, depth); break;
    case JSON_STRING: ne_jt_string(out, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER:
        ne_buf_printf(out, "%" APR_INT64_T_FMT, (apr_int64_t)json_integer_value(v));
        break;
    case JSON_TRUE: ne_buf_add(out, "true", 4); break;
    case JSON_FALSE: ne_buf_add(out, "false", 5); break;
    case JSON_NULL: ne_buf_add(out, "null", 4); break;
    default:                           /* reals: jansson's own digits */
        text = json_dumps(v, JSON_ENCODE_ANY);
        ne_buf_puts(out, text ? text : "null");
        free(text);
        break;
    }
}

void ne_json_text(ne_buf_t *out, const json_t *doc)
{
    ne_jt_value(out, doc, 0);
}
