/* newsevent: the archive's command-line tool (SPEC section 8). It reaches
 * the store through APR DBD with the driver names and parameters mod_dbd
 * takes, and shares the record rules and queries with the module. */
#include "ne_record.h"
#include "ne_slug.h"
#include "ne_store_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <apr_general.h>
#include <apr_file_io.h>
#include <apr_strings.h>

extern const char ne_schema_sqlite3[];
extern const char ne_schema_pgsql[];

typedef struct ne_tool {
    apr_pool_t *pool;
    const char *driver_name;
    const char *params;
    const char *prefix;
    ne_store_t st;
    int added, updated, unchanged, rejected;
} ne_tool_t;

static const char ne_usage[] =
    "usage: newsevent [--driver NAME] [--params PARAMS] COMMAND [ARG...]\n"
    "\n"
    "  init               create the schema (tables and indexes) in the store\n"
    "  import FILE...     load events from JSON Lines files (or JSON arrays);\n"
    "                     one transaction per file, upsert on (date, slug)\n"
    "  export [FILE]      write every event as JSON Lines (default: stdout)\n"
    "\n"
    "  --driver NAME      APR DBD driver, as DBDriver: sqlite3 (default) or pgsql\n"
    "  --params PARAMS    driver parameters, as DBDParams: for sqlite3 the file\n"
    "                     (default: $NEWSEVENT_PARAMS)\n"
    "  --prefix PREFIX    table-name prefix, as NewsEventTablePrefix (default none)\n"
    "\n"
    "Exit status: 0 success, 1 a file was rejected or the store failed, 2 usage.\n";

static int ne_tool_die(ne_tool_t *t, const char *what)
{
    fprintf(stderr, "newsevent: %s: %s\n", what, t->st.error ? t->st.error : "failed");
    return 1;
}

static int ne_tool_open(ne_tool_t *t)
{
    const char *err = NULL;
    apr_status_t rv = apr_dbd_get_driver(t->pool, t->driver_name, &t->st.driver);

    if (rv != APR_SUCCESS) {
        fprintf(stderr, "newsevent: no APR DBD driver '%s' (is libaprutil1-dbd-%s "
                "installed?)\n", t->driver_name, t->driver_name);
        return 1;
    }
    if (apr_dbd_open_ex(t->st.driver, t->pool, t->params, &t->st.handle, &err) != APR_SUCCESS) {
        fprintf(stderr, "newsevent: cannot open the %s store '%s': %s\n", t->driver_name,
                t->params, err ? err : "failed");
        return 1;
    }
    return 0;
}

static const char *ne_tool_schema(const char *driver)
{
    if (strcmp(driver, "sqlite3") == 0) {
        return ne_schema_sqlite3;
    }
    if (strcmp(driver, "pgsql") == 0) {
        return ne_schema_pgsql;
    }
    return NULL;
}

/* SQLite stores are put in WAL mode, so that Apache reads while an import
 * writes, and a reader never sees half an import. */
static int ne_cmd_init(ne_tool_t *t)
{
    const char *schema = ne_tool_schema(t->driver_name);
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;

    if (schema == NULL) {
        fprintf(stderr, "newsevent: no schema for driver '%s' (sqlite3 or pgsql)\n",
                t->driver_name);
        return 1;
    }
    if (ne_store_run_script(&t->st, t->pool, ne_store_sql(t->pool, schema, t->prefix))
        != APR_SUCCESS) {
        return ne_tool_die(t, "init");
    }
    if (strcmp(t->driver_name, "sqlite3") == 0) {
        if (apr_dbd_select(t->st.driver, t->pool, t->st.handle, &res,
                           "PRAGMA journal_mode=WAL", 0) != 0) {
            fprintf(stderr, "newsevent: init: cannot switch %s to WAL mode\n", t->params);
            return 1;
        }
        while (apr_dbd_get_row(t->st.driver, t->pool, res, &row, -1) == 0) {
        }
    }
    fprintf(stderr, "newsevent: schema ready in %s\n", t->params);
    return 0;
}

static int ne_tool_prepare(ne_tool_t *t)
{
    if (ne_store_prepare(&t->st, t->pool, ne_store_read_stmts, t->prefix) != APR_SUCCESS
        || ne_store_prepare(&t->st, t->pool, ne_store_write_stmts, t->prefix) != APR_SUCCESS) {
        return ne_tool_die(t, "the store is not ready (run 'newsevent init')");
    }
    return 0;
}

static const char *ne_tool_now(apr_pool_t *pool)
{
    time_t now = time(NULL);
    struct tm tm;
    char buf[32];

    gmtime_r(&now, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return apr_pstrdup(pool, buf);
}

/* One file's import: the (date, slug) pairs it has given out, and where. */
typedef struct ne_import {
    ne_tool_t *tool;
    ne_writer_t *writer;
    apr_hash_t *slugs;       /* "date/slug" -> "line N" */
    const char *now;
    const char *where;       /* "line N" or "element N", for the hash */
    int added, updated, unchanged;
} ne_import_t;

/* May a record without a slug take `slug`? Not when this file gave it out,
 * nor when the store holds another headline there. */
static apr_status_t ne_import_slug_free(ne_import_t *im, apr_pool_t *pool,
                                        const ne_event_t *ev, const char *slug, int *free_)
{
    const char *headline;
    apr_status_t rv;

    *free_ = 0;
    if (strcmp(slug, "index") == 0
        || apr_hash_get(im->slugs, apr_pstrcat(pool, ev->date, "/", slug, NULL),
                        APR_HASH_KEY_STRING) != NULL) {
        return APR_SUCCESS;
    }
    rv = ne_store_headline_at(&im->tool->st, pool, ev->date, slug, &headline);
    if (rv == APR_ENOENT || (rv == APR_SUCCESS && strcmp(headline, ev->headline) == 0)) {
        *free_ = 1;
        return APR_SUCCESS;
    }
    return rv;
}

/* The slug of a record: its own, which may appear once per file; or the
 * headline's, with "-2", "-3", ... until it is free. Importing the same
 * file again yields the same slugs, as the store then holds each headline
 * at its slug. Returns NULL with *msg set on failure. */
static const char *ne_import_slug(ne_import_t *im, apr_pool_t *pool, const ne_event_t *ev,
                                  const char **msg)
{
    apr_pool_t *hp = apr_hash_pool_get(im->slugs);
    const char *slug = *ev->slug ? ev->slug : ne_slug_make(pool, ev->headline), *base = slug;
    const char *seen;
    int n = 1, free_ = 0;

    if (*ev->slug) {
        seen = apr_hash_get(im->slugs, apr_pstrcat(pool, ev->date, "/", slug, NULL),
                            APR_HASH_KEY_STRING);
        if (seen != NULL) {
            *msg = apr_psprintf(pool, "field 'slug' repeats the date and slug of %s", seen);
            return NULL;
        }
    }
    else {
        for (;;) {
            if (ne_import_slug_free(im, pool, ev, slug, &free_) != APR_SUCCESS) {
                *msg = apr_psprintf(pool, "store: %s", im->tool->st.error);
                return NULL;
            }
            if (free_) {
                break;
            }
            slug = ne_slug_nth(pool, base, ++n);
        }
    }
    apr_hash_set(im->slugs, apr_pstrcat(hp, ev->date, "/", slug, NULL), APR_HASH_KEY_STRING,
                 apr_pstrdup(hp, im->where));
    return slug;
}

/* Import one JSON value; a message naming the field on failure. */
static const char *ne_import_record(ne_import_t *im, apr_pool_t *pool, json_t *obj)
{
    ne_record_error_t err;
    ne_event_t ev;
    ne_upsert_e what;
    const char *msg = NULL;

    if (ne_record_from_json(pool, obj, &ev, &err) != 0) {
        return *err.field ? apr_psprintf(pool, "field '%s' %s", err.field, err.message)
                          : err.message;
    }
    if ((ev.slug = ne_import_slug(im, pool, &ev, &msg)) == NULL) {
        return msg;
    }
    if (ne_store_upsert(im->writer, pool, &ev, im->now, &what) != APR_SUCCESS) {
        return apr_psprintf(pool, "store: %s", im->tool->st.error);
    }
    im->added += what == NE_UPSERT_ADDED;
    im->updated += what == NE_UPSERT_UPDATED;
    im->unchanged += what == NE_UPSERT_UNCHANGED;
    return NULL;
}

static const char *ne_import_lines(ne_import_t *im, apr_pool_t *pool, const char *data,
                                   apr_size_t len, int *lineno)
{
    apr_pool_t *iter;
    const char *p = data, *end = data + len, *msg = NULL;

    apr_pool_create(&iter, pool);
    for (*lineno = 1; p < end && msg == NULL; (*lineno)++) {
        const char *nl = memchr(p, '\n', (apr_size_t)(end - p));
        const char *eol = nl ? nl : end;
        json_error_t jerr;
        json_t *obj;

        apr_pool_clear(iter);
        im->where = apr_psprintf(iter, "line %d", *lineno);
        if (strspn(p, " \t\r") < (apr_size_t)(eol - p)) {
            obj = json_loadb(p, (apr_size_t)(eol - p), JSON_REJECT_DUPLICATES, &jerr);
            if (obj == NULL) {
                msg = apr_psprintf(pool, "invalid JSON at column %d: %s", jerr.column, jerr.text);
            }
            else {
                msg = ne_import_record(im, iter, obj);
                json_decref(obj);
                msg = msg ? apr_pstrdup(pool, msg) : NULL;
            }
        }
        p = eol + 1;
    }
    (*lineno)--;
    apr_pool_destroy(iter);
    return msg;
}

/* A file holding one JSON array: the error names the element's index. */
static const char *ne_import_array(ne_import_t *im, apr_pool_t *pool, const char *data,
                                   apr_size_t len, int *lineno)
{
    json_error_t jerr;
    json_t *arr = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr), *item;
    const char *msg = NULL;
    size_t i;

    if (arr == NULL) {
        *lineno = jerr.line;
        return apr_psprintf(pool, "invalid JSON at column %d: %s", jerr.column, jerr.text);
    }
    json_array_foreach(arr, i, item) {
        im->where = apr_psprintf(pool, "element %lu", (unsigned long)i);
        if ((msg = ne_import_record(im, pool, item)) != NULL) {
            msg = apr_psprintf(pool, "element %lu: %s", (unsigned long)i, msg);
            break;
        }
    }
    *lineno = 1;
    json_decref(arr);
    return msg;
}

static int ne_import_file(ne_tool_t *t, const char *path)
{
    apr_pool_t *pool;
    apr_file_t *f;
    apr_finfo_t fi;
    apr_dbd_transaction_t *trans = NULL;
    ne_import_t im;
    char *data;
    apr_size_t len;
    const char *msg = NULL;
    int lineno = 0, rc;

    apr_pool_create(&pool, t->pool);
    if (apr_file_open(&f, path, APR_FOPEN_READ, 0, pool) != APR_SUCCESS
        || apr_file_info_get(&fi, APR_FINFO_SIZE, f) != APR_SUCCESS) {
        fprintf(stderr, "newsevent: %s: cannot read the file\n", path);
        apr_pool_destroy(pool);
        return 1;
    }
    len = (apr_size_t)fi.size;
    data = apr_palloc(pool, len + 1);
    if (apr_file_read_full(f, data, len, &len) != APR_SUCCESS && len != (apr_size_t)fi.size) {
        fprintf(stderr, "newsevent: %s: cannot read the file\n", path);
        apr_pool_destroy(pool);
        return 1;
    }
    data[len] = '\0';
    memset(&im, 0, sizeof(im));
    im.tool = t;
    im.writer = ne_writer_make(pool, &t->st);
    im.slugs = apr_hash_make(pool);
    im.now = ne_tool_now(pool);
    if (apr_dbd_transaction_start(t->st.driver, pool, t->st.handle, &trans) != 0) {
        msg = "cannot start a transaction";
    }
    else if (data[strspn(data, " \t\r\n")] == '[') {
        msg = ne_import_array(&im, pool, data, len, &lineno);
    }
    else {
        msg = ne_import_lines(&im, pool, data, len, &lineno);
    }
    if (msg == NULL && im.added + im.updated > 0
        && ne_store_mark_changed(&t->st, pool, im.now) != APR_SUCCESS) {
        msg = apr_psprintf(pool, "store: %s", t->st.error);
    }
    if (msg != NULL && trans != NULL) {
        apr_dbd_transaction_mode_set(t->st.driver, trans, APR_DBD_TRANSACTION_ROLLBACK);
    }
    if (trans != NULL && (rc = apr_dbd_transaction_end(t->st.driver, pool, trans)) != 0
        && msg == NULL) {
        msg = apr_psprintf(pool, "commit failed: %s",
                           apr_dbd_error(t->st.driver, t->st.handle, rc));
    }
    if (msg != NULL) {
        fprintf(stderr, "newsevent: %s:%d: %s; file rejected, the store is unchanged\n",
                path, lineno, msg);
        t->rejected++;
    }
    else {
        t->added += im.added;
        t->updated += im.updated;
        t->unchanged += im.unchanged;
    }
    apr_pool_destroy(pool);
    return msg != NULL;
}

static int ne_cmd_import(ne_tool_t *t, int argc, const char *const *argv)
{
    int i, failed = 0;

    if (argc == 0) {
        fputs("newsevent: import needs at least one FILE\n", stderr);
        return 2;
    }
    if (ne_tool_prepare(t) != 0) {
        return 1;
    }
    for (i = 0; i < argc; i++) {
        failed |= ne_import_file(t, argv[i]);
    }
    fprintf(stderr, "newsevent: %d added, %d updated, %d unchanged, %d file%s rejected\n",
            t->added, t->updated, t->unchanged, t->rejected, t->rejected == 1 ? "" : "s");
    return failed;
}

static apr_status_t ne_export_one(void *baton, const ne_event_t *ev)
{
    FILE *out = baton;
    json_t *obj = ne_record_to_json(ev);
    int rc = json_dumpf(obj, out, JSON_COMPACT);

    json_decref(obj);
    if (rc != 0 || fputc('\n', out) == EOF) {
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

static int ne_cmd_export(ne_tool_t *t, int argc, const char *const *argv)
{
    FILE *out = stdout;
    apr_status_t rv;

    if (argc > 1) {
        fputs("newsevent: export takes at most one FILE\n", stderr);
        return 2;
    }
    if (ne_tool_prepare(t) != 0) {
        return 1;
    }
    if (argc == 1 && (out = fopen(argv[0], "w")) == NULL) {
        fprintf(stderr, "newsevent: cannot write %s\n", argv[0]);
        return 1;
    }
    rv = ne_store_each(&t->st, t->pool, ne_export_one, out);
    if ((out != stdout ? fclose(out) : fflush(out)) != 0 && rv == APR_SUCCESS) {
        t->st.error = "write failed";
        rv = APR_EGENERAL;
    }
    return rv == APR_SUCCESS ? 0 : ne_tool_die(t, "export");
}

int main(int argc, const char *const *argv, const char *const *env)
{
    ne_tool_t t;
    const char *cmd;
    int i = 1, rc;

    apr_app_initialize(&argc, &argv, &env);
    memset(&t, 0, sizeof(t));
    apr_pool_create(&t.pool, NULL);
    apr_dbd_init(t.pool);
    t.driver_name = "sqlite3";
    t.prefix = "";
    t.params = getenv("NEWSEVENT_PARAMS");
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            fputs(ne_usage, stdout);
            return 0;
        }
        if (i + 1 < argc && strcmp(argv[i], "--driver") == 0) {
            t.driver_name = argv[++i];
        }
        else if (i + 1 < argc && strcmp(argv[i], "--params") == 0) {
            t.params = argv[++i];
        }
        else if (i + 1 < argc && strcmp(argv[i], "--prefix") == 0) {
            t.prefix = argv[++i];
            if (!ne_store_prefix_valid(t.prefix)) {
                fprintf(stderr, "newsevent: --prefix '%s': use a-z first, then a-z, 0-9 "
                        "or _, at most 32 in all\n", t.prefix);
                return 2;
            }
        }
        else {
            fprintf(stderr, "newsevent: unknown option %s\n%s", argv[i], ne_usage);
            return 2;
        }
    }
    if (i >= argc || t.params == NULL) {
        fprintf(stderr, "newsevent: %s\n%s", i >= argc ? "no command" : "no --params",
                ne_usage);
        return 2;
    }
    cmd = argv[i++];
    if (strcmp(cmd, "init") && strcmp(cmd, "import") && strcmp(cmd, "export")) {
        fprintf(stderr, "newsevent: unknown command '%s'\n%s", cmd, ne_usage);
        return 2;
    }
    if (ne_tool_open(&t) != 0) {
        return 1;
    }
    if (strcmp(cmd, "init") == 0) {
        rc = ne_cmd_init(&t);
    }
    else if (strcmp(cmd, "import") == 0) {
        rc = ne_cmd_import(&t, argc - i, argv + i);
    }
    else {
        rc = ne_cmd_export(&t, argc - i, argv + i);
    }
    apr_dbd_close(t.st.driver, t.st.handle);
    apr_pool_destroy(t.pool);
    apr_terminate();
    return rc;
}
