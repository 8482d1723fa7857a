/* SPDX-License-Identifier: Apache-2.0 */
/* mod_newsevent: a dated news-event archive served from mod_dbd.
 * The module record and its hooks; the work is in the other files. */
#include "mod_newsevent.h"
#include "http_request.h"

static void mne_register_hooks(apr_pool_t *p)
{
    static const char *const after_rewrite[] = {"mod_rewrite.c", NULL};

    (void)p;
    ap_hook_check_config(mne_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(mne_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mne_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_translate_name(mne_translate_name, after_rewrite, NULL, APR_HOOK_MIDDLE);
    ap_hook_map_to_storage(mne_map_to_storage, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_handler(mne_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(newsevent) = {
    STANDARD20_MODULE_STUFF,
    mne_create_dir_conf,
    mne_merge_dir_conf,
    mne_create_server_conf,
    mne_merge_server_conf,
    mne_cmds,
    mne_register_hooks,
#if defined(AP_MODULE_FLAG_NONE)
    AP_MODULE_FLAG_NONE
#endif
};
