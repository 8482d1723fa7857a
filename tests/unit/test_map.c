/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"
#include "ne_i64map.h"

#include <stdlib.h>

/* Keys of many shapes (dense, sparse, negative, differing only in their
 * top bits), far past the first table: every one found with its value,
 * the values in the order added, and no key that was not added found. */
static void map_holds_every_key_in_order(void **state)
{
    apr_pool_t *p = *state;
    ne_i64map_t *m = ne_i64map_make(p, 8);
    apr_int64_t *keys = apr_palloc(p, 20000 * sizeof(*keys));
    apr_array_header_t *values;
    int i;

    for (i = 0; i < 20000; i++) {
        switch (i % 4) {
        case 0: keys[i] = i; break;
        case 1: keys[i] = (apr_int64_t)((apr_uint64_t)i << 48); break;
        case 2: keys[i] = -(apr_int64_t)i * 1024 - 7; break;
        default: keys[i] = (apr_int64_t)i * APR_INT64_C(1000003) + APR_INT64_C(1) * 5000000000;
        }
    }
    for (i = 0; i < 20000; i++) {
        assert_null(ne_i64map_get(m, keys[i]));
        ne_i64map_add(m, keys[i], &keys[i]);
        assert_ptr_equal(ne_i64map_get(m, keys[i]), &keys[i]);
    }
    for (i = 0; i < 20000; i++) {
        assert_ptr_equal(ne_i64map_get(m, keys[i]), &keys[i]);
    }
    assert_null(ne_i64map_get(m, 20001));
    assert_null(ne_i64map_get(m, APR_INT64_MIN));
    values = ne_i64map_values(m);
    assert_int_equal(values->nelts, 20000);
    for (i = 0; i < 20000; i++) {
        assert_ptr_equal(APR_ARRAY_IDX(values, i, void *), &keys[i]);
    }
}

int ne_test_map(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(map_holds_every_key_in_order, ne_test_pool_setup, ne_test_pool_teardown),
    };
    return cmocka_run_group_tests_name("map", tests, NULL, NULL);
}
