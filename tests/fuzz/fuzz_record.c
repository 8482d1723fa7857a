/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON Lines reader of newsevent import, and the body of a PUT or POST:
 * each parsed by jansson and validated by ne_record_from_json (or, for a
 * deleted or moved event's line, ne_absent_from_json). What it accepts is
 * clean text, and its export form reads back to the same record. */
#include "fuzz_common.h"
#include "ne_record.h"
#include "ne_text.h"

static void ne_fuzz_line(apr_pool_t *p, const char *line, size_t len)
{
    json_error_t err;
    json_t *obj = json_loadb(line, len, JSON_REJECT_DUPLICATES, &err), *out;
    ne_record_error_t rerr;
    ne_event_t ev, back;
    char *s1, *s2;

    if (obj == NULL) {
        return;
    }
    if (ne_record_is_absent(obj)) {
        ne_absent_t a, b;
        if (ne_absent_from_json(p, obj, &a, &rerr) == 0) {
            out = ne_absent_to_json(&a);
            NE_FUZZ_ASSERT(ne_absent_from_json(p, out, &b, &rerr) == 0);
            NE_FUZZ_ASSERT(strcmp(a.date, b.date) == 0 && strcmp(a.slug, b.slug) == 0
                           && strcmp(a.when, b.when) == 0 && (a.to_date == NULL) == (b.to_date == NULL));
            json_decref(out);
        }
        else {
            NE_FUZZ_ASSERT(rerr.field != NULL && rerr.message != NULL);
        }
        json_decref(obj);
        return;
    }
    if (ne_record_from_json(p, obj, &ev, &rerr, NULL) == 0) {
        NE_FUZZ_ASSERT(ne_text_is_clean(ev.headline) && ne_text_is_clean(ev.body));
        if (*ev.slug == '\0') {
            ev.slug = "x";
        }
        out = ne_record_to_json(&ev);
        NE_FUZZ_ASSERT(ne_record_from_json(p, out, &back, &rerr, NULL) == 0);
        s1 = json_dumps(out, JSON_COMPACT);
        json_decref(out);
        out = ne_record_to_json(&back);
        s2 = json_dumps(out, JSON_COMPACT);
        NE_FUZZ_ASSERT(strcmp(s1, s2) == 0);
        free(s1);
        free(s2);
        json_decref(out);
    }
    else {
        NE_FUZZ_ASSERT(rerr.field != NULL && rerr.message != NULL);
    }
    json_decref(obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = ne_fuzz_pool();
    const char *s = (const char *)data, *end = s + size;

    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
        ne_fuzz_line(p, s, n);
        s += n + 1;
    }
    apr_pool_destroy(p);
    return 0;
}
