/* rng -- the one seeded pseudo-random source (xoshiro256** seeded by splitmix64).

   Deterministic across platforms; the state is four words so that it can be
   saved and restored (store/).  Not for cryptography.  */
#ifndef AUTONUM_RNG_H
#define AUTONUM_RNG_H

#include <stdint.h>

typedef struct {
  uint64_t s[4];
} an_rng;

static inline uint64_t
an_splitmix64 (uint64_t *x)
{
  uint64_t z = (*x += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

static inline void
an_rng_seed (an_rng *r, uint64_t seed)
{
  for (int i = 0; i < 4; i++)
    r->s[i] = an_splitmix64 (&seed);
}

static inline uint64_t
an_rng_next (an_rng *r)
{
  uint64_t *s = r->s;
  uint64_t x = s[1] * 5, result = ((x << 7) | (x >> 57)) * 9, t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = (s[3] << 45) | (s[3] >> 19);
  return result;
}

/* Uniform in [0, n), n > 0 (Lemire's multiply-shift; bias below 2^-32 for n < 2^32).  */
static inline uint64_t
an_rng_below (an_rng *r, uint64_t n)
{
  return (uint64_t) (((unsigned __int128) an_rng_next (r) * n) >> 64);
}

/* Uniform double in [0, 1).  */
static inline double
an_rng_unit (an_rng *r)
{
  return (double) (an_rng_next (r) >> 11) * 0x1p-53;
}

#endif
