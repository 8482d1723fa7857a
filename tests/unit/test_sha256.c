/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256 against FIPS 180-4's vectors and a few block-edge lengths. */
#include "unit.h"
#include "ne_sha256.h"

#include <stdio.h>
#include <string.h>

static const char *hex(const unsigned char d[NE_SHA256_LEN], char out[65])
{
    int i;

    for (i = 0; i < NE_SHA256_LEN; i++) {
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    }
    return out;
}

static void check(const char *data, size_t len, const char *want)
{
    unsigned char d[NE_SHA256_LEN];
    char h[65];

    ne_sha256(data, len, d);
    assert_string_equal(hex(d, h), want);
}

static void test_sha256_vectors(void **state)
{
    char *big = apr_palloc(*state, 1000000);

    check("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    memset(big, 'x', 119);
    check(big, 119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c");
    check(big, 64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c");
    memset(big, 'a', 1000000);
    check(big, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_sha256_csp(void **state)
{
    assert_string_equal(ne_sha256_csp_source(*state, "abc", 3),
                        "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='");
}

int ne_test_sha256(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sha256_vectors, ne_test_pool_setup,
                                        ne_test_pool_teardown),
        cmocka_unit_test_setup_teardown(test_sha256_csp, ne_test_pool_setup,
                                        ne_test_pool_teardown),
    };
    return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
