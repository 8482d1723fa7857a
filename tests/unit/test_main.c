/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"

#include <apr_general.h>

int ne_test_pool_setup(void **state)
{
    apr_pool_t *pool;

    apr_pool_create(&pool, NULL);
    *state = pool;
    return 0;
}

int ne_test_pool_teardown(void **state)
{
    apr_pool_destroy(*state);
    return 0;
}

int main(void)
{
    int failed = 0;

    apr_initialize();
    failed += ne_test_slug();
    failed += ne_test_route();
    failed += ne_test_accept();
    failed += ne_test_text();
    failed += ne_test_record();
    failed += ne_test_render();
    failed += ne_test_buf();
    failed += ne_test_map();
    failed += ne_test_log();
    failed += ne_test_cond();
    failed += ne_test_sha256();
    failed += ne_test_search();
    failed += ne_test_search_rank();
    failed += ne_test_store();
    failed += ne_test_derive();
    apr_terminate();
    return failed ? 1 : 0;
}
