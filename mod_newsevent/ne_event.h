/* ne_event: the record of SPEC section 3 and the lists built from it.
 * Strings are UTF-8 owned by a pool; optional text is "" when absent. */
#ifndef NE_EVENT_H
#define NE_EVENT_H

#include <apr_tables.h>
#include <apr_time.h>

typedef struct ne_source {
    const char *name;
    const char *url;
} ne_source_t;

typedef struct ne_topic {
    const char *name;
    const char *slug;
} ne_topic_t;

/* Another event sharing topics with this one. */
typedef struct ne_related {
    const char *date;
    const char *slug;
    const char *headline;
    const char *updated;
    apr_array_header_t *context;   /* const char *: shared topic names */
} ne_related_t;

typedef struct ne_event {
    const char *id;          /* the store's key, as text */
    const char *date;        /* YYYY-MM-DD */
    const char *slug;
    const char *category;
    const char *story;
    const char *headline;
    const char *body;
    const char *image;
    const char *updated;     /* YYYY-MM-DDTHH:MM:SSZ */
    apr_array_header_t *sources;  /* ne_source_t */
    apr_array_header_t *topics;   /* ne_topic_t */
    apr_array_header_t *related;  /* ne_related_t; NULL in lists */
} ne_event_t;

/* One day: its events in import order (summaries: no sources, topics or
 * related), and the nearest days before and after it that have events. */
typedef struct ne_day {
    const char *date;
    apr_array_header_t *events;   /* ne_event_t */
    const char *prev;             /* a date, or NULL */
    const char *next;
} ne_day_t;

/* The time the newest of the records a representation shows was changed,
 * for Last-Modified; 0 when unknown. */
apr_time_t ne_event_mtime(const ne_event_t *ev);
apr_time_t ne_day_mtime(const ne_day_t *day);

#endif
