/* SPDX-License-Identifier: Apache-2.0 */
/* The yardstick "a handler that writes a constant in-memory buffer": the
 * fastest any module can answer. BenchConstFile names a file read once at
 * start-up; SetHandler bench-const serves it from memory. Benchmarks only. */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "apr_file_io.h"
#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA bench_const_module;

typedef struct {
    const char *data;
    apr_size_t len;
} bench_conf_t;

static void *bench_create(apr_pool_t *p, server_rec *s)
{
    (void)s;
    return apr_pcalloc(p, sizeof(bench_conf_t));
}

static const char *bench_file(cmd_parms *cmd, void *dc, const char *arg)
{
    bench_conf_t *c = ap_get_module_config(cmd->server->module_config, &bench_const_module);
    apr_file_t *f;
    apr_finfo_t fi;
    char *buf;

    (void)dc;
    if (apr_file_open(&f, arg, APR_FOPEN_READ, 0, cmd->pool) != APR_SUCCESS
        || apr_file_info_get(&fi, APR_FINFO_SIZE, f) != APR_SUCCESS) {
        return apr_psprintf(cmd->pool, "BenchConstFile: cannot read %s", arg);
    }
    buf = apr_palloc(cmd->pool, (apr_size_t)fi.size);
    c->len = (apr_size_t)fi.size;
    apr_file_read_full(f, buf, c->len, NULL);
    c->data = buf;
    return NULL;
}

static int bench_handler(request_rec *r)
{
    bench_conf_t *c = ap_get_module_config(r->server->module_config, &bench_const_module);
    apr_bucket_brigade *bb;

    if (r->handler == NULL || strcmp(r->handler, "bench-const") != 0) {
        return DECLINED;
    }
    ap_set_content_type(r, "text/html; charset=utf-8");
    ap_set_content_length(r, (apr_off_t)c->len);
    if (r->header_only) {
        return OK;
    }
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_immortal_create(c->data, c->len,
                                                           r->connection->bucket_alloc));
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(r->connection->bucket_alloc));
    return ap_pass_brigade(r->output_filters, bb) == APR_SUCCESS ? OK : AP_FILTER_ERROR;
}

static const command_rec bench_cmds[] = {
    AP_INIT_TAKE1("BenchConstFile", bench_file, NULL, RSRC_CONF, "the bytes to serve"),
    {NULL}
};

static void bench_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_handler(bench_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(bench_const) = {
    STANDARD20_MODULE_STUFF, NULL, NULL, bench_create, NULL, bench_cmds, bench_hooks,
#if defined(AP_MODULE_FLAG_NONE)
    AP_MODULE_FLAG_NONE
#endif
};
