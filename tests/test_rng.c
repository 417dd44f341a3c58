#include "rng.h"
#include <criterion/criterion.h>
/* placeholder replaced by the full rng suite in the foundation commit */
Test(rng, philox_kat_zero)
{
    uint32_t ctr[4] = {0, 0, 0, 0}, key[2] = {0, 0}, out[4];
    rng_philox4x32(out, ctr, key);
    cr_assert(out[0] == 0x6627e8d5u && out[1] == 0xe169c58du && out[2] == 0xbc57ac4cu && out[3] == 0x9b00dbd8u);
}
