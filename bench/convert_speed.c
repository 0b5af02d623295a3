/* convert_speed -- ns per element of dsl/convert.h's conversions in array loops (vectorised).

   Built and run by bench/convert_speed.sh.  4096 elements (in L1), values spread over each
   format's range with some overflow, subnormals and specials; best of interleaved
   repetitions.  Where the compiler has _Float16, its own conversions (hardware ones with
   F16C or AVX512-FP16) are timed beside ours.  */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "dsl/helpers.h"
#include "dsl/convert.h"

#define N 4096
static float x[N], y[N];
static uint16_t h[N];
static uint8_t q[N];
static volatile uint32_t sink;

static double
now (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

#define LOOP16(name, body)                                                                                     \
  static void __attribute__ ((noinline)) name (void)                                                           \
  {                                                                                                            \
    for (int i = 0; i < N; i++)                                                                                \
      body;                                                                                                    \
  }
LOOP16 (bf16_encode, h[i] = (uint16_t) an_bf16_encode (x[i]))
LOOP16 (bf16_decode, y[i] = an_bf16_decode (h[i]))
LOOP16 (bf16_round, y[i] = an_bf16_round (x[i]))
LOOP16 (f16_encode, h[i] = (uint16_t) an_f16_encode (x[i]))
LOOP16 (f16_decode, y[i] = an_f16_decode (h[i]))
LOOP16 (f16_round, y[i] = an_f16_round (x[i]))
LOOP16 (f16_round2, y[i] = an_f16_decode (an_f16_encode (x[i])))
LOOP16 (e4m3_encode, q[i] = (uint8_t) an_e4m3_encode (x[i]))
LOOP16 (e4m3_decode, y[i] = an_e4m3_decode (q[i]))
LOOP16 (e4m3_round, y[i] = an_e4m3_round (x[i]))
LOOP16 (e4m3_round2, y[i] = an_e4m3_decode (an_e4m3_encode (x[i])))
LOOP16 (e5m2_encode, q[i] = (uint8_t) an_e5m2_encode (x[i]))
LOOP16 (e5m2_decode, y[i] = an_e5m2_decode (q[i]))
LOOP16 (e5m2_round, y[i] = an_e5m2_round (x[i]))
LOOP16 (e5m2_round2, y[i] = an_e5m2_decode (an_e5m2_encode (x[i])))
LOOP16 (copy, y[i] = x[i])
#ifdef __FLT16_MAX__
static _Float16 hf[N];
LOOP16 (float16_native_encode, hf[i] = (_Float16) x[i])
LOOP16 (float16_native_decode, y[i] = (float) hf[i])
#endif

static const struct {
  const char *name;
  void (*loop) (void);
} loops[] = {
  { "copy (memory bound floor)", copy },
  { "bf16_encode", bf16_encode },
  { "bf16_decode", bf16_decode },
  { "bf16_round", bf16_round },
  { "f16_encode", f16_encode },
  { "f16_decode", f16_decode },
  { "f16_round", f16_round },
  { "f16 decode(encode)", f16_round2 },
  { "e4m3_encode", e4m3_encode },
  { "e4m3_decode", e4m3_decode },
  { "e4m3_round", e4m3_round },
  { "e4m3 decode(encode)", e4m3_round2 },
  { "e5m2_encode", e5m2_encode },
  { "e5m2_decode", e5m2_decode },
  { "e5m2_round", e5m2_round },
  { "e5m2 decode(encode)", e5m2_round2 },
#ifdef __FLT16_MAX__
  { "(_Float16) x, the compiler's", float16_native_encode },
  { "(float) _Float16, the compiler's", float16_native_decode },
#endif
};
#define NLOOPS (sizeof loops / sizeof loops[0])

int
main (void)
{
  uint32_t s = 12345;
  for (int i = 0; i < N; i++)
    {
      s = s * 1664525u + 1013904223u;
      /* exponents 2^-30 .. 2^20, either sign; every 64th a special or a huge value */
      uint32_t e = 97u + (s >> 8) % 50u, bits = (s & 0x80000000u) | e << 23 | ((s * 2654435761u) >> 9);
      x[i] = an_f32 (i % 64 == 63 ? (i % 128 == 127 ? 0x7f800000u : 0x7fc00000u) | (s & 0x80000000u) : bits);
      h[i] = (uint16_t) (s >> 7);
      q[i] = (uint8_t) (s >> 13);
    }
  double best[NLOOPS];
  for (size_t k = 0; k < NLOOPS; k++)
    best[k] = 1e30;
  for (int rep = 0; rep < 30; rep++)
    for (size_t k = 0; k < NLOOPS; k++)
      {
        double t0 = now ();
        for (int r = 0; r < 50; r++)
          loops[k].loop ();
        double dt = (now () - t0) / 50 / N * 1e9;
        sink = an_u32 (y[N / 2]) ^ h[N / 3] ^ q[N / 5];
        if (dt < best[k])
          best[k] = dt;
      }
  for (size_t k = 0; k < NLOOPS; k++)
    printf ("%-34s %6.3f ns/element\n", loops[k].name, best[k]);
  return 0;
}
