/* SPDX-License-Identifier: Apache-2.0 */
/* newsevent: the archive's command-line tool (README, "The store and the
 * `newsevent` tool"): its options, and the commands init, export and
 * stats (import and check: newsevent_import.c). It reaches the store
 * through APR DBD with the driver names and parameters mod_dbd takes, and
 * shares the record rules and queries with the module. */
#include "newsevent.h"
#include "ne_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <apr_general.h>
#include <apr_file_io.h>
#include <apr_strings.h>

static const char tool_usage[] =
    "usage: newsevent [--driver NAME] [--params PARAMS] [--prefix PREFIX] COMMAND [ARG...]\n"
    "       (options may also follow the command; -- ends them)\n"
    "\n"
    "  init               create the schema (tables and indexes) in the store, or\n"
    "                     bring an older store's up to date (as upgrade)\n"
    "  upgrade            bring a store made by an older release to this schema\n"
    "                     in place, in one transaction (no re-import)\n"
    "  import FILE...     load events from JSON Lines files (or JSON arrays);\n"
    "                     one transaction per file, upsert on (date, slug)\n"
    "  check FILE...      validate without writing: against the store when\n"
    "                     --params names one (what import would do), else alone\n"
    "  export [FILE]      write every event as JSON Lines (default: stdout)\n"
    "  stats              events per year and the busiest topics\n"
    "  delete URL...      delete events (their URLs then answer 410 Gone)\n"
    "  move OLD NEW       give an event a new date and slug (OLD answers 301)\n"
    "  verify [N]         compare the stored related lists and companions of N\n"
    "                     random events and topics (default 1000) with the\n"
    "                     read-time rule; exit 1 naming each difference\n"
    "\n"
    "  --driver NAME      APR DBD driver, as DBDriver: sqlite3 (default) or pgsql\n"
    "  --params PARAMS    driver parameters, as DBDParams: for sqlite3 the file\n"
    "                     (default: $NEWSEVENT_PARAMS)\n"
    "  --prefix PREFIX    table-name prefix, as NewsEventTablePrefix (default none)\n"
    "  --skip-invalid     import, check: store a file's valid records and name each\n"
    "                     invalid one, rather than reject the file whole\n"
    "  --verbose          import, check: also name each invisible character removed\n"
    "  --overwrite        move: replace an event at NEW\n"
    "\n"
    "Exit status: 0 success, 1 a file was rejected or the store failed, 2 usage.\n";

static apr_status_t tool_export_one(void *baton, const ne_event_t *ev)
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

/* After the events, the URLs without one: deleted, then moved. */
static apr_status_t tool_export_absent(void *baton, const char *date, const char *slug,
                                       const char *to_date, const char *to_slug,
                                       const char *when)
{
    FILE *out = baton;
    ne_absent_t a = {date, slug, to_date, to_slug, when};
    json_t *obj = ne_absent_to_json(&a);
    int rc = json_dumpf(obj, out, JSON_COMPACT);

    json_decref(obj);
    return rc != 0 || fputc('\n', out) == EOF ? APR_EGENERAL : APR_SUCCESS;
}

static int tool_cmd_export(tool_t *t, int argc, const char *const *argv)
{
    FILE *out = stdout;
    apr_status_t rv;
    int nrows;

    if (argc > 1) {
        fputs("newsevent: export takes at most one FILE\n", stderr);
        return TOOL_EXIT_USAGE;
    }
    if (tool_prepare(t) != TOOL_EXIT_OK) {
        return TOOL_EXIT_FAILED;
    }
    if (argc == 1 && (out = fopen(argv[0], "w")) == NULL) {
        fprintf(stderr, "newsevent: cannot write %s\n", argv[0]);
        return TOOL_EXIT_FAILED;
    }
    /* One snapshot for every page, so that an import committing meanwhile
     * is in the export whole or not at all: SQLite's BEGIN reads one WAL
     * snapshot without locking writers out; PostgreSQL needs REPEATABLE
     * READ (apr_dbd's plain BEGIN is READ COMMITTED, a snapshot a statement). */
    apr_dbd_query(t->st.driver, t->st.handle, &nrows,
                  strcmp(t->driver_name, "pgsql") == 0
                  ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
    rv = ne_store_each(&t->st, t->pool, tool_export_one, out);
    if (rv == APR_SUCCESS) {
        rv = ne_store_each_absent(&t->st, t->pool, tool_export_absent, out);
    }
    apr_dbd_query(t->st.driver, t->st.handle, &nrows, "COMMIT");
    if ((out != stdout ? fclose(out) : fflush(out)) != 0 && rv == APR_SUCCESS) {
        t->st.error = "write failed";
        rv = APR_EGENERAL;
    }
    return rv == APR_SUCCESS ? TOOL_EXIT_OK : tool_die(t, "export");
}

/* Per year from the days table, then the topics with the most events. */
static int tool_cmd_stats(tool_t *t)
{
    apr_array_header_t *years, *topics;
    long events = 0, days = 0;
    int i;

    if (ne_store_prepare(&t->st, t->pool, ne_store_stats_stmts, t->prefix) != APR_SUCCESS
        || ne_store_stats(&t->st, t->pool, 15, &years, &topics) != APR_SUCCESS) {
        return tool_die(t, "stats (run 'newsevent init' first?)");
    }
    printf("%-6s %10s %6s\n", "year", "events", "days");
    for (i = 0; i < years->nelts; i++) {
        const ne_stats_row_t *y = &APR_ARRAY_IDX(years, i, ne_stats_row_t);
        printf("%-6s %10ld %6ld\n", y->name, y->events, y->days);
        events += y->events;
        days += y->days;
    }
    printf("%-6s %10ld %6ld\n\nbusiest topics:\n", "all", events, days);
    for (i = 0; i < topics->nelts; i++) {
        const ne_stats_row_t *tp = &APR_ARRAY_IDX(topics, i, ne_stats_row_t);
        printf("%10ld  %s (%s)\n", tp->events, tp->name, tp->key);
    }
    return TOOL_EXIT_OK;
}

static int tool_is_command(const char *cmd)
{
    static const char *const commands[] = {"init", "upgrade", "import", "check", "export",
                                           "stats", "delete", "move", "verify", NULL};
    int i;

    for (i = 0; commands[i] && strcmp(commands[i], cmd) != 0; i++) {
    }
    return commands[i] != NULL;
}

/* One option at argv[*i] (advancing past its value); 0, or the exit code. */
static int tool_option(tool_t *t, int argc, const char *const *argv, int *i)
{
    const char *opt = argv[*i];

    if (strcmp(opt, "--help") == 0) {
        fputs(tool_usage, stdout);
        return -1;
    }
    if (strcmp(opt, "--verbose") == 0 || strcmp(opt, "--skip-invalid") == 0
        || strcmp(opt, "--overwrite") == 0) {
        *(opt[2] == 'v' ? &t->verbose : opt[2] == 's' ? &t->skip_invalid : &t->overwrite) = 1;
        return 0;
    }
    if (strcmp(opt, "--driver") != 0 && strcmp(opt, "--params") != 0
        && strcmp(opt, "--prefix") != 0) {
        fprintf(stderr, "newsevent: unknown option %s\n%s", opt, tool_usage);
        return TOOL_EXIT_USAGE;
    }
    if (*i + 1 >= argc) {
        fprintf(stderr, "newsevent: %s needs a value\n%s", opt, tool_usage);
        return TOOL_EXIT_USAGE;
    }
    *i += 1;
    if (strcmp(opt, "--driver") == 0) {
        t->driver_name = argv[*i];
    }
    else if (strcmp(opt, "--params") == 0) {
        t->params = argv[*i];
    }
    else if (!ne_store_prefix_valid(argv[*i])) {
        fprintf(stderr, "newsevent: --prefix '%s': use a-z first, then a-z, 0-9 "
                "or _, at most 32 in all\n", argv[*i]);
        return TOOL_EXIT_USAGE;
    }
    else {
        t->prefix = argv[*i];
    }
    return 0;
}

/* Options may come before or after the command, as users of git or apt
 * expect; "--" ends them, so a file named "--x" can still be imported.
 * The command and its arguments are left in args[0..*nargs). */
static int tool_args(tool_t *t, int argc, const char *const *argv,
                     const char **args, int *nargs)
{
    int i, rc, options = 1;

    *nargs = 0;
    for (i = 1; i < argc; i++) {
        if (options && strcmp(argv[i], "--") == 0) {
            options = 0;
        }
        else if (options && strncmp(argv[i], "--", 2) == 0) {
            if ((rc = tool_option(t, argc, argv, &i)) != 0) {
                return rc;
            }
        }
        else {
            args[(*nargs)++] = argv[i];
        }
    }
    return 0;
}

int main(int argc, const char *const *argv, const char *const *env)
{
    tool_t t;
    const char *cmd, **args;
    int nargs, rc;

    apr_app_initialize(&argc, &argv, &env);
    memset(&t, 0, sizeof(t));
    apr_pool_create(&t.pool, NULL);
    apr_dbd_init(t.pool);
    t.driver_name = "sqlite3";
    t.prefix = "";
    t.params = getenv("NEWSEVENT_PARAMS");
    tool_log_init(&t);
    args = apr_palloc(t.pool, sizeof(*args) * (argc + 1));
    if ((rc = tool_args(&t, argc, argv, args, &nargs)) != 0) {
        return rc < 0 ? TOOL_EXIT_OK : rc;
    }
    if (nargs == 0) {
        fprintf(stderr, "newsevent: no command\n%s", tool_usage);
        return TOOL_EXIT_USAGE;
    }
    cmd = args[0];
    if (!tool_is_command(cmd)) {
        fprintf(stderr, "newsevent: unknown command '%s'\n%s", cmd, tool_usage);
        return TOOL_EXIT_USAGE;
    }
    t.check_only = strcmp(cmd, "check") == 0;
    if (t.params == NULL && !t.check_only) {
        fprintf(stderr, "newsevent: %s needs --params (or NEWSEVENT_PARAMS)\n%s", cmd,
                tool_usage);
        return TOOL_EXIT_USAGE;
    }
    if (t.params != NULL && tool_open(&t) != TOOL_EXIT_OK) {
        return TOOL_EXIT_FAILED;
    }
    if (strcmp(cmd, "init") == 0 || strcmp(cmd, "upgrade") == 0) {
        rc = tool_cmd_schema(&t, cmd[0] == 'i');
    }
    else if (strcmp(cmd, "import") == 0 || t.check_only) {
        rc = tool_cmd_import(&t, nargs - 1, args + 1);
    }
    else if (strcmp(cmd, "stats") == 0) {
        rc = tool_cmd_stats(&t);
    }
    else if (strcmp(cmd, "verify") == 0) {
        rc = tool_cmd_verify(&t, nargs - 1, args + 1);
    }
    else if (strcmp(cmd, "delete") == 0 || strcmp(cmd, "move") == 0) {
        rc = tool_cmd_edit(&t, cmd, nargs - 1, args + 1);
    }
    else {
        rc = tool_cmd_export(&t, nargs - 1, args + 1);
    }
    if (t.st.handle != NULL) {
        apr_dbd_close(t.st.driver, t.st.handle);
    }
    apr_pool_destroy(t.pool);
    apr_terminate();
    return rc;
}
