/* SPDX-License-Identifier: Apache-2.0 */
#include "unit.h"
#include "ne_buf.h"

#include <string.h>

/* The digest is MurmurHash64A with our seed (the values from a separate
 * transcription of the algorithm), so ETags stay what they were from one
 * build to the next. */
static void buf_digest_is_stable(void **state)
{
    static const char fox[] = "The quick brown fox jumps over the lazy dog";

    (void)state;
    assert_true(ne_bytes_digest("", 0) == APR_UINT64_C(0x4c882a0e8de26f86));
    assert_true(ne_bytes_digest("a", 1) == APR_UINT64_C(0x89df26e58122c867));
    assert_true(ne_bytes_digest("newsevent", 9) == APR_UINT64_C(0x46559092562eeba3));
    assert_true(ne_bytes_digest(fox, strlen(fox)) == APR_UINT64_C(0x3a5cd22123a0feb1));
}

/* A change of any one byte, or of the length alone, changes the digest. */
static void buf_digest_sees_every_byte(void **state)
{
    unsigned char bytes[41] = {0};
    apr_uint64_t seen[41 + 40];
    apr_size_t i, j, n = 0;

    (void)state;
    for (i = 0; i <= 40; i++) {                  /* zeros, 0 to 40 of them */
        seen[n++] = ne_bytes_digest(bytes, i);
    }
    for (i = 0; i < 40; i++) {                   /* 40 zeros, one set */
        bytes[i] = 0x80;
        seen[n++] = ne_bytes_digest(bytes, 40);
        bytes[i] = 0;
    }
    for (i = 0; i < n; i++) {
        for (j = i + 1; j < n; j++) {
            assert_true(seen[i] != seen[j]);
        }
    }
}

int ne_test_buf(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_digest_is_stable),
        cmocka_unit_test(buf_digest_sees_every_byte),
    };
    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
