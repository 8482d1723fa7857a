/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the plain-C core (cmocka). Each test_*.c file exposes one
 * group runner; test_main.c runs them all. */
#ifndef NE_UNIT_H
#define NE_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <apr_pools.h>

int ne_test_slug(void);
int ne_test_route(void);
int ne_test_accept(void);
int ne_test_text(void);
int ne_test_record(void);
int ne_test_render(void);
int ne_test_buf(void);
int ne_test_map(void);
int ne_test_log(void);
int ne_test_cond(void);
int ne_test_sha256(void);
int ne_test_search(void);
int ne_test_search_rank(void);
int ne_test_store(void);
int ne_test_derive(void);

/* A fresh pool per test, destroyed by the teardown. */
int ne_test_pool_setup(void **state);
int ne_test_pool_teardown(void **state);

#endif
