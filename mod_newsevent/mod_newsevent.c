/* mod_newsevent: a dated news-event archive served from mod_dbd.
 * The module record and its hooks; the work is in the other files. */
#include "mod_newsevent.h"
#include "http_request.h"

static void ne_register_hooks(apr_pool_t *p)
{
    static const char *const after_rewrite[] = {"mod_rewrite.c", NULL};

    (void)p;
    ap_hook_check_config(ne_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(ne_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(ne_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_translate_name(ne_translate_name, after_rewrite, NULL, APR_HOOK_MIDDLE);
    ap_hook_map_to_storage(ne_map_to_storage, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_handler(ne_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(newsevent) = {
    STANDARD20_MODULE_STUFF,
    ne_create_dir_conf,
    ne_merge_dir_conf,
    ne_create_server_conf,
    ne_merge_server_conf,
    ne_cmds,
    ne_register_hooks,
#if defined(AP_MODULE_FLAG_NONE)
    AP_MODULE_FLAG_NONE
#endif
};
