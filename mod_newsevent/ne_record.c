/* SPDX-License-Identifier: Apache-2.0 */
#include "ne_record.h"
#include "ne_date.h"
#include "ne_slug.h"
#include "ne_text.h"

#include <string.h>
#include <apr_hash.h>
#include <apr_lib.h>
#include <apr_strings.h>

static const char *const ne_record_fields[] = {
    "date", "slug", "category", "story", "headline", "body", "image",
    "sources", "topics", "updated", NULL
};

static int ne_record_fail(ne_record_error_t *err, const char *field, const char *msg)
{
    err->field = field;
    err->message = msg;
    return -1;
}

/* Trim ASCII white space at both ends. */
static const char *ne_record_trim(apr_pool_t *pool, const char *s)
{
    const char *end;

    while (apr_isspace(*s)) {
        s++;
    }
    end = s + strlen(s);
    while (end > s && apr_isspace(end[-1])) {
        end--;
    }
    return apr_pstrmemdup(pool, s, (apr_size_t)(end - s));
}

/* Text of one line: no control character at all. */
static int ne_record_is_line(const char *s)
{
    const char *p;

    for (p = s; *p; p++) {
        if ((unsigned char)*p < 0x20) {
            return 0;
        }
    }
    return ne_text_is_clean(s);
}

/* Body text: CRLF becomes LF; no control character but tab and newline. */
static const char *ne_record_body(apr_pool_t *pool, const char *s)
{
    char *out = apr_palloc(pool, strlen(s) + 1), *o = out;

    for (; *s; s++) {
        if (*s == '\r' && s[1] == '\n') {
            continue;
        }
        *o++ = *s;
    }
    *o = '\0';
    return ne_text_is_clean(out) ? ne_record_trim(pool, out) : NULL;
}

/* Where ne_text_repair's drops of one field are noted. */
typedef struct ne_record_drops {
    apr_pool_t *pool;
    apr_array_header_t *repairs;
    const char *field;
} ne_record_drops_t;

static void ne_record_dropped(void *baton, apr_uint32_t cp, const char *why)
{
    ne_record_drops_t *d = baton;
    ne_record_repair_t *r;

    if (d->repairs != NULL) {
        r = apr_array_push(d->repairs);
        r->field = d->field;
        r->cp = cp;
        r->why = why;
    }
}

/* s without the invisible characters that change nothing, each noted as
 * one of `field`'s (its item's, in a list). */
static const char *ne_record_repair(apr_pool_t *pool, const char *s, const char *field,
                                    ne_record_error_t *err)
{
    ne_record_drops_t d;

    d.pool = pool;
    d.repairs = err->repairs;
    d.field = err->item ? apr_pstrcat(pool, err->item, field, NULL) : field;
    return ne_text_repair(pool, s, ne_record_dropped, &d);
}

/* An optional string member, copied into pool: "" when absent or null. */
static int ne_record_string(apr_pool_t *pool, json_t *obj, const char *key,
                            const char **out, ne_record_error_t *err)
{
    json_t *v = json_object_get(obj, key);

    if (v == NULL || json_is_null(v)) {
        *out = "";
        return 0;
    }
    if (!json_is_string(v)) {
        return ne_record_fail(err, key, "must be a string");
    }
    if (memchr(json_string_value(v), '\0', json_string_length(v)) != NULL) {
        return ne_record_fail(err, key, "must not contain NUL characters");
    }
    *out = ne_record_repair(pool, apr_pstrdup(pool, json_string_value(v)), key, err);
    return 0;
}

static int ne_record_line(apr_pool_t *pool, json_t *obj, const char *key,
                          const char **out, ne_record_error_t *err)
{
    if (ne_record_string(pool, obj, key, out, err) != 0) {
        return -1;
    }
    if (!ne_record_is_line(*out)) {
        return ne_record_fail(err, key, "must be one line of text, without control characters or bidirectional overrides");
    }
    *out = ne_record_trim(pool, *out);
    if (ne_utf8_len(*out) > NE_LINE_FIELD_MAX) {
        return ne_record_fail(err, key, "is longer than 1000 characters");
    }
    return 0;
}

static int ne_record_url(apr_pool_t *pool, json_t *obj, const char *key,
                         const char *field, const char **out, ne_record_error_t *err)
{
    if (ne_record_string(pool, obj, key, out, err) != 0) {
        return ne_record_fail(err, field, "must be a string");
    }
    if (**out != '\0' && !ne_url_is_http(*out)) {
        return ne_record_fail(err, field, "must be an absolute http or https URL");
    }
    if (!ne_text_is_clean(*out)) {     /* read back cleaned, it would never match */
        return ne_record_fail(err, field, "holds a control or bidirectional-override "
                              "character");
    }
    return 0;
}

static int ne_record_sources(apr_pool_t *pool, json_t *list, ne_event_t *ev,
                             ne_record_error_t *err)
{
    size_t i;
    json_t *item;

    ev->sources = apr_array_make(pool, 4, sizeof(ne_source_t));
    if (list == NULL || json_is_null(list)) {
        return 0;
    }
    if (!json_is_array(list)) {
        return ne_record_fail(err, "sources", "must be a list of {name, url} objects");
    }
    if (json_array_size(list) > NE_LIST_FIELD_MAX) {
        return ne_record_fail(err, "sources", "holds more than 1000 sources");
    }
    json_array_foreach(list, i, item) {
        ne_source_t *s = apr_array_push(ev->sources);
        const char *field = apr_psprintf(pool, "sources[%lu]", (unsigned long)i);
        if (!json_is_object(item)) {
            return ne_record_fail(err, field, "must be an object with name and url");
        }
        err->item = apr_pstrcat(pool, field, ".", NULL);
        if (ne_record_line(pool, item, "name", &s->name, err) != 0) {
            return ne_record_fail(err, apr_pstrcat(pool, field, ".name", NULL), err->message);
        }
        if (*s->name == '\0') {
            return ne_record_fail(err, apr_pstrcat(pool, field, ".name", NULL), "is required");
        }
        if (ne_record_url(pool, item, "url", apr_pstrcat(pool, field, ".url", NULL), &s->url,
                          err) != 0) {
            return -1;
        }
        if (*s->url == '\0') {
            return ne_record_fail(err, apr_pstrcat(pool, field, ".url", NULL), "is required");
        }
    }
    err->item = NULL;
    return 0;
}

static int ne_record_topics(apr_pool_t *pool, json_t *list, ne_event_t *ev,
                            ne_record_error_t *err)
{
    apr_hash_t *seen = apr_hash_make(pool);
    size_t i;
    json_t *item;

    ev->topics = apr_array_make(pool, 8, sizeof(ne_topic_t));
    if (list == NULL || json_is_null(list)) {
        return 0;
    }
    if (!json_is_array(list)) {
        return ne_record_fail(err, "topics", "must be a list of names");
    }
    if (json_array_size(list) > NE_LIST_FIELD_MAX) {
        return ne_record_fail(err, "topics", "holds more than 1000 topics");
    }
    json_array_foreach(list, i, item) {
        const char *field = apr_psprintf(pool, "topics[%lu]", (unsigned long)i);
        const char *name;
        ne_topic_t *t;
        if (!json_is_string(item)) {
            return ne_record_fail(err, field, "must be one line of text");
        }
        name = ne_record_repair(pool, json_string_value(item), field, err);
        if (!ne_record_is_line(name)) {
            return ne_record_fail(err, field, "must be one line of text");
        }
        name = ne_record_trim(pool, name);
        if (*name == '\0' || ne_utf8_len(name) > NE_LINE_FIELD_MAX) {
            return ne_record_fail(err, field, "must hold 1 to 1000 characters");
        }
        t = apr_array_push(ev->topics);
        t->name = name;
        t->slug = ne_slug_make(pool, name);
        if (strcmp(t->slug, "event") == 0 && strcasecmp(name, "event") != 0) {
            return ne_record_fail(err, field, "must contain ASCII letters or digits, "
                                  "from which its URL is made");
        }
        if (apr_hash_get(seen, t->slug, APR_HASH_KEY_STRING) != NULL) {
            return ne_record_fail(err, field, apr_psprintf(pool, "repeats topic '%s'",
                (const char *)apr_hash_get(seen, t->slug, APR_HASH_KEY_STRING)));
        }
        apr_hash_set(seen, t->slug, APR_HASH_KEY_STRING, name);
    }
    return 0;
}

int ne_record_timestamp_valid(const char *s)
{
    apr_time_t t;

    return ne_timestamp_parse(s, &t);
}

/* The field named is copied: err outlives obj (the key is jansson's). */
static int ne_record_unknown_field(apr_pool_t *pool, json_t *obj, ne_record_error_t *err)
{
    const char *key;
    json_t *v;
    int i;

    json_object_foreach(obj, key, v) {
        for (i = 0; ne_record_fields[i] && strcmp(ne_record_fields[i], key) != 0; i++) {
        }
        if (ne_record_fields[i] == NULL) {
            err->field = apr_pstrdup(pool, key);
            err->message = "is not a field of an event";
            return -1;
        }
    }
    return 0;
}

static int ne_record_required(apr_pool_t *pool, json_t *obj, ne_event_t *ev,
                              ne_record_error_t *err)
{
    ne_date_t d;

    if (ne_record_string(pool, obj, "date", &ev->date, err) != 0) {
        return -1;
    }
    if (*ev->date == '\0') {
        return ne_record_fail(err, "date", "is required");
    }
    if (!ne_date_parse(ev->date, strlen(ev->date), &d)) {
        return ne_record_fail(err, "date", "must be a real date written YYYY-MM-DD");
    }
    if (ne_record_string(pool, obj, "headline", &ev->headline, err) != 0) {
        return -1;
    }
    if (!ne_record_is_line(ev->headline)) {
        return ne_record_fail(err, "headline",
                              "must be one line of text, without control characters or bidirectional overrides");
    }
    ev->headline = ne_record_trim(pool, ev->headline);
    if (*ev->headline == '\0') {
        return ne_record_fail(err, "headline", "is required");
    }
    if (ne_utf8_len(ev->headline) > NE_HEADLINE_MAX) {
        return ne_record_fail(err, "headline", "is longer than 4000 characters");
    }
    return 0;
}

int ne_record_from_json(apr_pool_t *pool, json_t *obj, ne_event_t *ev,
                        ne_record_error_t *err, apr_array_header_t *repairs)
{
    const char *body;

    memset(ev, 0, sizeof(*ev));
    err->repairs = repairs;
    err->item = NULL;
    if (!json_is_object(obj)) {
        return ne_record_fail(err, "", "an event must be a JSON object");
    }
    if (ne_record_unknown_field(pool, obj, err) != 0
        || ne_record_required(pool, obj, ev, err) != 0
        || ne_record_string(pool, obj, "slug", &ev->slug, err) != 0
        || ne_record_line(pool, obj, "category", &ev->category, err) != 0
        || ne_record_line(pool, obj, "story", &ev->story, err) != 0
        || ne_record_string(pool, obj, "body", &body, err) != 0
        || ne_record_url(pool, obj, "image", "image", &ev->image, err) != 0
        || ne_record_string(pool, obj, "updated", &ev->updated, err) != 0
        || ne_record_sources(pool, json_object_get(obj, "sources"), ev, err) != 0
        || ne_record_topics(pool, json_object_get(obj, "topics"), ev, err) != 0) {
        return -1;
    }
    if (*ev->slug != '\0'
        && (!ne_slug_valid(ev->slug, strlen(ev->slug)) || strcmp(ev->slug, "index") == 0)) {
        return ne_record_fail(err, "slug", "must be a-z and 0-9 runs joined by single '-', "
                              "at most 160 bytes, and not 'index'");
    }
    if (strlen(body) > NE_BODY_MAX) {
        return ne_record_fail(err, "body", "is longer than 2 MiB");
    }
    if ((ev->body = ne_record_body(pool, body)) == NULL) {
        return ne_record_fail(err, "body", "must be text without bidirectional overrides or "
                              "control characters "
                              "other than tab and newline");
    }
    if (*ev->updated != '\0' && !ne_record_timestamp_valid(ev->updated)) {
        return ne_record_fail(err, "updated", "must be a UTC time written "
                              "YYYY-MM-DDTHH:MM:SSZ");
    }
    return 0;
}

static void ne_record_set_text(json_t *obj, const char *key, const char *v)
{
    if (v != NULL && *v != '\0') {
        json_object_set_new(obj, key, json_string(v));
    }
}

json_t *ne_record_to_json(const ne_event_t *ev)
{
    json_t *obj = json_object(), *sources = json_array(), *topics = json_array();
    int i;

    json_object_set_new(obj, "date", json_string(ev->date));
    json_object_set_new(obj, "slug", json_string(ev->slug));
    ne_record_set_text(obj, "category", ev->category);
    ne_record_set_text(obj, "story", ev->story);
    json_object_set_new(obj, "headline", json_string(ev->headline));
    ne_record_set_text(obj, "body", ev->body);
    ne_record_set_text(obj, "image", ev->image);
    for (i = 0; i < ev->sources->nelts; i++) {
        const ne_source_t *s = &APR_ARRAY_IDX(ev->sources, i, ne_source_t);
        json_array_append_new(sources, json_pack("{s:s, s:s}", "name", s->name,
                                                 "url", s->url));
    }
    json_object_set_new(obj, "sources", sources);
    for (i = 0; i < ev->topics->nelts; i++) {
        json_array_append_new(topics,
                              json_string(APR_ARRAY_IDX(ev->topics, i, ne_topic_t).name));
    }
    json_object_set_new(obj, "topics", topics);
    ne_record_set_text(obj, "updated", ev->updated);
    return obj;
}

int ne_record_is_absent(json_t *obj)
{
    return json_is_object(obj) && (json_object_get(obj, "deleted") != NULL
                                   || json_object_get(obj, "moved") != NULL);
}

/* A date and a slug, at obj's keys, both valid; the field names prefixed. */
static int ne_absent_key(apr_pool_t *pool, json_t *obj, const char *prefix, const char **date,
                         const char **slug, ne_record_error_t *err)
{
    json_t *d = json_object_get(obj, "date"), *s = json_object_get(obj, "slug");
    ne_date_t dt;

    if (!json_is_string(d) || !ne_date_parse(json_string_value(d), json_string_length(d), &dt)) {
        return ne_record_fail(err, apr_pstrcat(pool, prefix, "date", NULL),
                              "must be a real date written YYYY-MM-DD");
    }
    if (!json_is_string(s) || !ne_slug_valid(json_string_value(s), json_string_length(s))) {
        return ne_record_fail(err, apr_pstrcat(pool, prefix, "slug", NULL), "must be a-z and "
                              "0-9 runs joined by single '-', at most 160 bytes");
    }
    *date = apr_pstrdup(pool, json_string_value(d));
    *slug = apr_pstrdup(pool, json_string_value(s));
    return 0;
}

int ne_absent_from_json(apr_pool_t *pool, json_t *obj, ne_absent_t *a, ne_record_error_t *err)
{
    json_t *moved = json_object_get(obj, "moved"), *to = json_object_get(obj, "to");
    json_t *when = moved ? moved : json_object_get(obj, "deleted");
    const char *key;
    json_t *v;

    memset(a, 0, sizeof(*a));
    err->item = NULL;
    json_object_foreach(obj, key, v) {
        if (strcmp(key, "date") && strcmp(key, "slug") && strcmp(key, moved ? "moved" : "deleted")
            && !(moved && strcmp(key, "to") == 0)) {
            return ne_record_fail(err, apr_pstrdup(pool, key), moved
                                  ? "is not a field of a moved event's record"
                                  : "is not a field of a deleted event's record");
        }
    }
    if (ne_absent_key(pool, obj, "", &a->date, &a->slug, err) != 0) {
        return -1;
    }
    if (!json_is_string(when) || !ne_record_timestamp_valid(json_string_value(when))) {
        return ne_record_fail(err, moved ? "moved" : "deleted", "must be a UTC time written "
                              "YYYY-MM-DDTHH:MM:SSZ");
    }
    a->when = apr_pstrdup(pool, json_string_value(when));
    if (moved && (!json_is_object(to)
                  || ne_absent_key(pool, to, "to.", &a->to_date, &a->to_slug, err) != 0)) {
        return json_is_object(to) ? -1 : ne_record_fail(err, "to", "must be the {date, slug} "
                                                        "the event moved to");
    }
    return 0;
}

json_t *ne_absent_to_json(const ne_absent_t *a)
{
    json_t *obj = json_object();

    json_object_set_new(obj, "date", json_string(a->date));
    json_object_set_new(obj, "slug", json_string(a->slug));
    if (a->to_date == NULL) {
        json_object_set_new(obj, "deleted", json_string(a->when));
    }
    else {
        json_object_set_new(obj, "moved", json_string(a->when));
        json_object_set_new(obj, "to", json_pack("{s:s, s:s}", "date", a->to_date,
                                                 "slug", a->to_slug));
    }
    return obj;
}

/* A copy of s in p; *bytes counts it (and a JSON field's framing). */
static const char *ne_record_dup(apr_pool_t *p, const char *s, apr_size_t *bytes)
{
    apr_size_t n = strlen(s);

    *bytes += n + 16;
    return apr_pstrmemdup(p, s, n);
}

void ne_record_copy(apr_pool_t *p, const ne_event_t *ev, ne_event_t *out, apr_size_t *bytes)
{
    int i;

    memset(out, 0, sizeof(*out));
    out->date = ne_record_dup(p, ev->date, bytes);
    out->slug = ne_record_dup(p, ev->slug, bytes);
    out->category = ne_record_dup(p, ev->category, bytes);
    out->story = ne_record_dup(p, ev->story, bytes);
    out->headline = ne_record_dup(p, ev->headline, bytes);
    out->body = ne_record_dup(p, ev->body, bytes);
    out->image = ne_record_dup(p, ev->image, bytes);
    out->updated = ne_record_dup(p, ev->updated, bytes);
    out->sources = apr_array_make(p, ev->sources->nelts, sizeof(ne_source_t));
    out->topics = apr_array_make(p, ev->topics->nelts, sizeof(ne_topic_t));
    for (i = 0; i < ev->sources->nelts; i++) {
        const ne_source_t *s = &APR_ARRAY_IDX(ev->sources, i, ne_source_t);
        ne_source_t *c = apr_array_push(out->sources);
        c->name = ne_record_dup(p, s->name, bytes);
        c->url = ne_record_dup(p, s->url, bytes);
    }
    for (i = 0; i < ev->topics->nelts; i++) {
        const ne_topic_t *t = &APR_ARRAY_IDX(ev->topics, i, ne_topic_t);
        ne_topic_t *c = apr_array_push(out->topics);
        c->name = ne_record_dup(p, t->name, bytes);
        c->slug = ne_record_dup(p, t->slug, bytes);
        c->id = NULL;
    }
}
