/* logbessel -- an exported log-Bessel program (autonum export --target logbesseli or
   logbesselk: float NAME (float v, float x)) against GSL, accuracy and speed on the same
   points.  Built and run by bench/logbessel.sh; by hand:

     autonum export P.anp --target logbesseli --name lb -o f.c
     gcc -std=gnu11 -O3 -march=native -fopenmp -DAN_FILE='"f.c"' -DAN_FUNC=lb \
         bench/logbessel.c -o logbessel -lgsl -lgslcblas -lflint-arb -lflint -lmpfr -lgmp -lm
     ./logbessel -f I

   (or -include f.c -DAN_LINKAGE='static inline' -DAN_FUNC=lb instead of AN_FILE).  The
   exported file is included with AN_LINKAGE static inline, as its header says, so that the
   array loop below inlines NAME; -fopenmp only spreads the Arb references over the cores.

   Options: -f I|K (log I_v(x) or log K_v(x); default I), -n N (points, default 20000, at
   least 4), -s SEED (default 0x6c6f6762657373), -v LO:HI (default 0:1000), -x LO:HI (default
   0.001:1000, LO > 0), -r REPS (timing repetitions, default 5), -m (also a map of where GSL
   fails or is off by more than 4 ULP), -l LABEL (our row's name, default AN_FUNC).

   Points: N float32 pairs, deterministic for a seed: the 4 corners of the box (its bounds
   rounded inward to float32), then N - 4 drawn pairs, shuffled together.  x is log-uniform
   over [XLO, XHI] (a Latin hypercube: the N - 4 values of u in log x = log XLO + u log(XHI/XLO)
   fall one in each of N - 4 equal strata, in random order).  v: the first half, (N - 4) / 2
   pairs, log-uniform over [max(VLO, 2^-10), VHI] (stratified the same way), the other half
   uniform over [VLO, VHI] (stratified); where max(VLO, 2^-10) >= VHI, all uniform.  Every
   value is rounded to float32 and clamped into the box.

   Reference: Arb (arb_hypgeom_bessel_i or _k on the exact balls of v and x, then arb_log),
   at 64 bits of working precision and doubling (at most 2^16) until the ball's relative
   radius is at most 2^-62 and both of its endpoints round to the same float32 (to nearest
   even; the subnormal range by rounding to a multiple of 2^-149): that float is the
   correctly rounded value.  Errors are measured as autonum measures them (eval/ulp.h):
   |y - f| / ulp(f), f the exact value (here the ball's midpoint as a double-double, within
   2^-62 relative of it: within 2^-38 ULP), ulp(f) = 2^max(E - 24, -149) for
   2^(E-1) <= |f| < 2^E, in the binade of f, not of y.  "cr" counts results equal to the
   correctly rounded float32.  Points the reference cannot settle by 2^16 bits (none
   expected) are left out of every figure and counted.

   GSL: log I = log (gsl_sf_bessel_Inu_scaled_e (v, x)) + x and log K = gsl_sf_bessel_lnKnu_e
   (v, x), in double, with gsl_set_error_handler_off ().  A call fails if its status is not
   GSL_SUCCESS or its log is not finite (Inu_scaled underflowing to 0 gives log = -inf:
   "zero").  Errors are those of the double result rounded to float32, over the points where
   GSL's log is finite (whatever the status); "dbl max" is the same figure for the unrounded
   double, GSL's own accuracy in float32 ULPs.  Ours: NAME (v, x), errors over its finite
   results; inf/NaN results are counted apart (and are not in max or mean).

   Speed: ns per call over the N points (the same order), best of REPS interleaved
   repetitions (CLOCK_MONOTONIC): "ptr" one call per element through a function pointer (for
   ours the out-of-line copy of the static inline NAME; for GSL a noinline wrapper
   computing the same double as above and returning it rounded to float), "loop" ours
   inlined in a loop over arrays y[i] = NAME (v[i], x[i]) (the compiler may vectorise it).  */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_clock.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_bessel.h>
#include <gsl/gsl_version.h>

#include <arb.h>
#include <arb_hypgeom.h>
#include <arf.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#ifdef AN_FILE
#ifndef AN_LINKAGE
#define AN_LINKAGE static inline
#endif
#include AN_FILE
#endif
#ifndef AN_FUNC
#error "compile with -DAN_FUNC=NAME and -DAN_FILE='\"exported.c\"' (or -include exported.c)"
#endif
#define AN_STR_(a) #a
#define AN_STR(a) AN_STR_ (a)

#define PREC_MAX 65536
#define NCAT 4

typedef float (*fn2) (float, float);

/* ---- generator: splitmix64 ---- */
static uint64_t rng_state;

static uint64_t
rng_next (void)
{
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static double
rng_uniform (void)
{
  return (double) (rng_next () >> 11) * 0x1p-53;
}

static size_t
rng_below (size_t n)
{
  return (size_t) (rng_uniform () * (double) n);
}

/* P[0..n) a random permutation of 0..n-1.  */
static void
rng_perm (size_t *p, size_t n)
{
  for (size_t i = 0; i < n; i++)
    p[i] = i;
  for (size_t i = n; i > 1; i--)
    {
      size_t j = rng_below (i), t = p[i - 1];
      p[i - 1] = p[j];
      p[j] = t;
    }
}

/* ---- float32 bounds and clamping ---- */
static float
round_up_f (double a)
{
  float f = (float) a;
  return (double) f < a ? nextafterf (f, INFINITY) : f;
}

static float
round_down_f (double a)
{
  float f = (float) a;
  return (double) f > a ? nextafterf (f, -INFINITY) : f;
}

static float
clampf (float a, float lo, float hi)
{
  return a < lo ? lo : a > hi ? hi : a;
}

/* ---- ULP error as eval/ulp.h defines it (float32; |f| < 14000, no overflow here) ---- */
static double
ulp32 (double hi, double lo)
{
  if (hi == 0)
    return 0x1p-149;
  int e;
  double m = frexp (hi, &e);
  if (fabs (m) == 0.5 && lo != 0 && (lo < 0) != (hi < 0))
    e--;
  e -= 24;
  return ldexp (1.0, e > -149 ? e : -149);
}

/* |y - f| / ulp(f), y any double (a float32 result or GSL's unrounded double).  */
static double
ulp_err (double y, double hi, double lo)
{
  if (isnan (y) || isinf (y))
    return INFINITY;
  return fabs (((y - hi) - lo) / ulp32 (hi, lo));
}

/* ---- Arb reference ---- */

/* A rounded to the nearest float32 (ties to even), subnormals included.  */
static float
arf_round_f32 (const arf_t a)
{
  if (arf_is_zero (a))
    return 0.0f;
  if (arf_cmpabs_2exp_si (a, 128) >= 0)
    return arf_sgn (a) > 0 ? INFINITY : -INFINITY;   /* (never here: |log| < 2^14) */
  arf_t t;
  arf_init (t);
  float r;
  if (arf_cmpabs_2exp_si (a, -126) >= 0)
    {
      arf_set_round (t, a, 24, ARF_RND_NEAR);
      r = (float) arf_get_d (t, ARF_RND_NEAR);   /* exact: 24 bits */
    }
  else
    {
      /* Subnormal range: the nearest multiple of 2^-149.  */
      fmpz_t z;
      fmpz_init (z);
      arf_mul_2exp_si (t, a, 149);
      arf_get_fmpz (z, t, ARF_RND_NEAR);
      r = ldexpf ((float) fmpz_get_si (z), -149);   /* |z| <= 2^23: exact */
      fmpz_clear (z);
    }
  arf_clear (t);
  return r;
}

typedef struct
{
  double hi, lo;   /* the exact value, as a double-double */
  float cr;        /* correctly rounded float32 */
  int prec;        /* the working precision that settled it; 0 if none did */
} ref_t;

static void
reference (int kind, float v, float x, ref_t *r)
{
  arb_t av, ax, b;
  arf_t lo, hi, t;
  arb_init (av), arb_init (ax), arb_init (b);
  arf_init (lo), arf_init (hi), arf_init (t);
  arb_set_d (av, v);
  arb_set_d (ax, x);
  r->prec = 0;
  r->hi = r->lo = NAN;
  r->cr = NAN;
  for (slong prec = 64; prec <= PREC_MAX; prec *= 2)
    {
      if (kind == 'I')
        arb_hypgeom_bessel_i (b, av, ax, prec);
      else
        arb_hypgeom_bessel_k (b, av, ax, prec);
      arb_log (b, b, prec);
      if (!arb_is_finite (b) || arb_rel_accuracy_bits (b) < 62)
        continue;
      arf_set_mag (t, arb_radref (b));
      arf_sub (lo, arb_midref (b), t, ARF_PREC_EXACT, ARF_RND_DOWN);
      arf_add (hi, arb_midref (b), t, ARF_PREC_EXACT, ARF_RND_DOWN);
      float fl = arf_round_f32 (lo), fh = arf_round_f32 (hi);
      if (fl != fh)
        continue;
      r->cr = fh;
      r->hi = arf_get_d (arb_midref (b), ARF_RND_NEAR);
      arf_set_d (t, r->hi);
      arf_sub (t, arb_midref (b), t, ARF_PREC_EXACT, ARF_RND_DOWN);
      r->lo = arf_get_d (t, ARF_RND_NEAR);
      r->prec = (int) prec;
      break;
    }
  arb_clear (av), arb_clear (ax), arb_clear (b);
  arf_clear (lo), arf_clear (hi), arf_clear (t);
}

/* ---- GSL ---- */
enum { G_OK, G_STATUS, G_ZERO, G_INF, G_NAN };

/* GSL's log I or log K in double; *STATUS its status.  */
static double
gsl_log_bessel (int kind, double v, double x, int *status)
{
  gsl_sf_result r;
  if (kind == 'I')
    {
      *status = gsl_sf_bessel_Inu_scaled_e (v, x, &r);
      return log (r.val) + x;
    }
  *status = gsl_sf_bessel_lnKnu_e (v, x, &r);
  return r.val;
}

static int gsl_kind;

__attribute__ ((noinline)) static float
gsl_f (float v, float x)
{
  int s;
  return (float) gsl_log_bessel (gsl_kind, v, x, &s);
}

/* ---- timing (now: bench_clock.h) ---- */

static volatile float sink;

__attribute__ ((noinline)) static double
time_ptr (fn2 f, const float *v, const float *x, float *y, size_t n)
{
  fn2 volatile fv = f;
  fn2 g = fv;
  double t0 = now ();
  for (size_t i = 0; i < n; i++)
    y[i] = g (v[i], x[i]);
  double t = now () - t0;
  sink = y[n / 2];
  return t;
}

__attribute__ ((noinline)) static void
ours_loop (const float *restrict v, const float *restrict x, float *restrict y, size_t n)
{
  for (size_t i = 0; i < n; i++)
    y[i] = AN_FUNC (v[i], x[i]);
}

static double
time_loop (const float *v, const float *x, float *y, size_t n)
{
  double t0 = now ();
  ours_loop (v, x, y, n);
  double t = now () - t0;
  sink = y[n / 2];
  return t;
}

/* ---- statistics ---- */
typedef struct
{
  size_t n, over4, nonfinite, cr;
  double max, sum;
  size_t worst;
} stats_t;

static void
stats_add (stats_t *s, double e, size_t i, int is_cr)
{
  if (isinf (e))
    {
      s->nonfinite++;
      return;
    }
  s->n++;
  s->sum += e;
  s->cr += is_cr;
  if (e > 4)
    s->over4++;
  if (e > s->max || s->n == 1)
    s->max = e, s->worst = i;
}

static int
parse_range (const char *s, double *lo, double *hi)
{
  char *e;
  errno = 0;
  *lo = strtod (s, &e);
  if (*e != ':')
    return -1;
  *hi = strtod (e + 1, &e);
  return (*e || errno || !(*lo <= *hi)) ? -1 : 0;
}

static void
usage (void)
{
  fprintf (stderr, "usage: logbessel [-f I|K] [-n N] [-s SEED] [-v LO:HI] [-x LO:HI] [-r REPS] [-m] [-l LABEL]\n");
  exit (2);
}

/* Map cells: v bin (0 for v < the log range's start, 1..8 log-spaced), x bin (0..7 log-spaced).  */
#define MV 9
#define MX 8

int
main (int argc, char **argv)
{
  int kind = 'I', reps = 5, map = 0;
  long n = 20000;
  uint64_t seed = 0x6c6f6762657373ULL;
  double vlo = 0, vhi = 1000, xlo = 0.001, xhi = 1000;
  const char *label = AN_STR (AN_FUNC);
  int c;
  while ((c = getopt (argc, argv, "f:n:s:v:x:r:ml:")) != -1)
    switch (c)
      {
      case 'f':
        if ((optarg[0] != 'I' && optarg[0] != 'K' && optarg[0] != 'i' && optarg[0] != 'k') || optarg[1])
          usage ();
        kind = optarg[0] & ~0x20;
        break;
      case 'n':
        n = strtol (optarg, NULL, 0);
        if (n < 4)
          usage ();
        break;
      case 's':
        seed = strtoull (optarg, NULL, 0);
        break;
      case 'v':
        if (parse_range (optarg, &vlo, &vhi) < 0 || vlo < 0)
          usage ();
        break;
      case 'x':
        if (parse_range (optarg, &xlo, &xhi) < 0 || !(xlo > 0))
          usage ();
        break;
      case 'r':
        reps = atoi (optarg);
        if (reps < 1)
          usage ();
        break;
      case 'm':
        map = 1;
        break;
      case 'l':
        label = optarg;
        break;
      default:
        usage ();
      }
  if (optind != argc)
    usage ();
  gsl_set_error_handler_off ();
  gsl_kind = kind;

  /* ---- the points ---- */
  float fvlo = round_up_f (vlo), fvhi = round_down_f (vhi), fxlo = round_up_f (xlo), fxhi = round_down_f (xhi);
  if (!(fvlo <= fvhi && fxlo <= fxhi))
    {
      fprintf (stderr, "logbessel: the box holds no float32 pair\n");
      return 2;
    }
  size_t N = (size_t) n, M = N - 4;
  double vlog_lo = vlo > 0x1p-10 ? vlo : 0x1p-10;
  size_t Mlog = vlog_lo < vhi ? M / 2 : 0, Muni = M - Mlog;
  float *V = malloc (N * sizeof *V), *X = malloc (N * sizeof *X), *Y = malloc (N * sizeof *Y);
  size_t *p = malloc ((M + 1) * sizeof *p);
  ref_t *R = malloc (N * sizeof *R);
  double *G = malloc (N * sizeof *G);
  int *GS = malloc (N * sizeof *GS);
  if (!V || !X || !Y || !p || !R || !G || !GS)
    return 1;
  rng_state = seed;
  V[0] = fvlo, X[0] = fxlo, V[1] = fvlo, X[1] = fxhi, V[2] = fvhi, X[2] = fxlo, V[3] = fvhi, X[3] = fxhi;
  rng_perm (p, M);
  for (size_t i = 0; i < M; i++)
    X[4 + i] = clampf ((float) exp (log (xlo) + ((double) p[i] + rng_uniform ()) / (double) M * log (xhi / xlo)), fxlo, fxhi);
  rng_perm (p, Mlog);
  for (size_t i = 0; i < Mlog; i++)
    V[4 + i] = clampf ((float) exp (log (vlog_lo) + ((double) p[i] + rng_uniform ()) / (double) Mlog * log (vhi / vlog_lo)),
                       fvlo, fvhi);
  rng_perm (p, Muni);
  for (size_t i = 0; i < Muni; i++)
    V[4 + Mlog + i] = clampf ((float) (vlo + ((double) p[i] + rng_uniform ()) / (double) Muni * (vhi - vlo)), fvlo, fvhi);
  for (size_t i = N; i > 1; i--)
    {
      size_t j = rng_below (i);
      float tv = V[i - 1], tx = X[i - 1];
      V[i - 1] = V[j], X[i - 1] = X[j];
      V[j] = tv, X[j] = tx;
    }

  printf ("logbessel: log %c_v(x), %zu float32 pairs (4 corners; x log-uniform; v %zu log-uniform from %g, %zu uniform),"
          " seed 0x%llx\n", kind, N, Mlog, vlog_lo, Muni, (unsigned long long) seed);
  printf ("box: v in [%.9g, %.9g], x in [%.9g, %.9g]\n", (double) fvlo, (double) fvhi, (double) fxlo, (double) fxhi);

  /* ---- reference ---- */
  double t0 = now ();
  int threads = 1;
#ifdef _OPENMP
  threads = omp_get_max_threads ();
#pragma omp parallel for schedule(dynamic, 16)
#endif
  for (long i = 0; i < (long) N; i++)
    reference (kind, V[i], X[i], &R[i]);
  double tref = now () - t0;
  size_t unresolved = 0;
  int pmax = 0;
  double pmean = 0;
  for (size_t i = 0; i < N; i++)
    {
      if (!R[i].prec)
        unresolved++;
      pmax = R[i].prec > pmax ? R[i].prec : pmax;
      pmean += R[i].prec;
    }
  printf ("reference: Arb %s (arb_hypgeom_bessel_%c, arb_log), correctly rounded; %.1f s on %d thread%s, precision mean %.0f,"
          " max %d bits; %zu unresolved\n",
          arb_version, kind == 'I' ? 'i' : 'k', tref, threads, threads > 1 ? "s" : "", pmean / (double) N, pmax, unresolved);

  /* ---- accuracy ---- */
  stats_t so = {0}, sg = {0};
  double gdbl_max = 0;
  size_t gcat[5] = {0}, gfail = 0;
  /* Per GSL outcome: the points' v and x ranges.  */
  double cvlo[5], cvhi[5], cxlo[5], cxhi[5];
  for (int k = 0; k < 5; k++)
    cvlo[k] = cxlo[k] = INFINITY, cvhi[k] = cxhi[k] = -INFINITY;
  unsigned mapfail[MV][MX] = {{0}}, mapbad[MV][MX] = {{0}}, mapall[MV][MX] = {{0}};
  int status_seen[64] = {0};
  for (size_t i = 0; i < N; i++)
    {
      if (!R[i].prec)
        continue;
      float y = AN_FUNC (V[i], X[i]);
      stats_add (&so, ulp_err (y, R[i].hi, R[i].lo), i, y == R[i].cr);
      int st;
      double g = gsl_log_bessel (kind, V[i], X[i], &st);
      G[i] = g, GS[i] = st;
      int cat = st != GSL_SUCCESS ? G_STATUS : G_OK;
      if (isnan (g))
        cat = G_NAN;
      else if (isinf (g))
        cat = (kind == 'I' && g < 0) ? G_ZERO : G_INF;
      if (st != GSL_SUCCESS && st >= 0 && st < 64)
        status_seen[st]++;
      gcat[cat]++;
      gfail += cat != G_OK;
      if (cat != G_OK)
        {
          cvlo[cat] = fmin (cvlo[cat], V[i]), cvhi[cat] = fmax (cvhi[cat], V[i]);
          cxlo[cat] = fmin (cxlo[cat], X[i]), cxhi[cat] = fmax (cxhi[cat], X[i]);
        }
      double e = ulp_err ((float) g, R[i].hi, R[i].lo);
      stats_add (&sg, e, i, (float) g == R[i].cr);
      if (isfinite (g))
        gdbl_max = fmax (gdbl_max, ulp_err (g, R[i].hi, R[i].lo));
      int bv = V[i] < vlog_lo ? 0 : 1 + (int) (8 * log (V[i] / vlog_lo) / log (vhi / vlog_lo));
      int bx = (int) (8 * log (X[i] / xlo) / log (xhi / xlo));
      bv = bv < 0 ? 0 : bv > 8 ? 8 : bv;
      bx = bx < 0 ? 0 : bx > 7 ? 7 : bx;
      mapall[bv][bx]++;
      mapfail[bv][bx] += cat != G_OK;
      mapbad[bv][bx] += cat == G_OK && e > 4;
    }
  size_t nres = N - unresolved;
  printf ("errors in float32 ULPs of the exact value (eval/ulp.h); max and mean over finite results;"
          " cr %% = correctly rounded, of all points\n");
  printf ("%-16s %12s %10s %9s %8s %8s %8s %12s\n", "", "max ULP", "mean ULP", ">4 ULP", "cr %", "inf/NaN", "fail", "dbl max");
  printf ("%-16s %12.4g %10.4g %9zu %8.2f %8zu %8s %12s\n", label, so.max, so.n ? so.sum / (double) so.n : NAN, so.over4,
          100.0 * (double) so.cr / (double) nres, so.nonfinite, "-", "-");
  char gl[32];
  snprintf (gl, sizeof gl, "GSL %s", GSL_VERSION);
  printf ("%-16s %12.4g %10.4g %9zu %8.2f %8zu %8zu %12.4g\n", gl, sg.max, sg.n ? sg.sum / (double) sg.n : NAN, sg.over4,
          100.0 * (double) sg.cr / (double) nres, sg.nonfinite, gfail, gdbl_max);
  if (so.n)
    printf ("  worst %s: v=%a x=%a (%.9g, %.9g): %.9g, exact %.9g\n", label, (double) V[so.worst], (double) X[so.worst],
            (double) V[so.worst], (double) X[so.worst], (double) AN_FUNC (V[so.worst], X[so.worst]), R[so.worst].hi);
  if (sg.n)
    printf ("  worst GSL: v=%a x=%a (%.9g, %.9g): %.17g, exact %.17g\n", (double) V[sg.worst], (double) X[sg.worst],
            (double) V[sg.worst], (double) X[sg.worst], G[sg.worst], R[sg.worst].hi);
  static const char *catname[5] = {"", "status", "zero (Inu_scaled underflow: log = -inf)", "inf", "NaN"};
  for (int k = 1; k < 5; k++)
    if (gcat[k])
      printf ("  GSL %s: %zu points, v in [%.6g, %.6g], x in [%.6g, %.6g]\n", catname[k], gcat[k], cvlo[k], cvhi[k],
              cxlo[k], cxhi[k]);
  for (int s = 1; s < 64; s++)
    if (status_seen[s])
      printf ("  GSL status %d (%s): %d points\n", s, gsl_strerror (s), status_seen[s]);
  if (map)
    {
      printf ("map of GSL over the box: fail/over-4-ULP of all, by v row and x column (log-spaced bins)\n%14s", "v \\ x from");
      for (int bx = 0; bx < MX; bx++)
        printf (" %12.3g", xlo * pow (xhi / xlo, bx / 8.0));
      printf ("\n");
      for (int bv = 0; bv < MV; bv++)
        {
          if (bv == 0)
            printf ("%14s", vlo < vlog_lo ? "<2^-10" : "-");
          else
            printf ("%14.3g", vlog_lo * pow (vhi / vlog_lo, (bv - 1) / 8.0));
          for (int bx = 0; bx < MX; bx++)
            {
              char cell[40];
              snprintf (cell, sizeof cell, "%u/%u/%u", mapfail[bv][bx], mapbad[bv][bx], mapall[bv][bx]);
              printf (" %12s", cell);
            }
          printf ("\n");
        }
    }

  /* ---- speed ---- */
  double best[3] = {INFINITY, INFINITY, INFINITY};
  for (int r = 0; r < reps; r++)
    {
      double t = time_ptr (AN_FUNC, V, X, Y, N);
      best[0] = t < best[0] ? t : best[0];
      t = time_loop (V, X, Y, N);
      best[1] = t < best[1] ? t : best[1];
      t = time_ptr (gsl_f, V, X, Y, N);
      best[2] = t < best[2] ? t : best[2];
    }
  double ns[3];
  for (int k = 0; k < 3; k++)
    ns[k] = 1e9 * best[k] / (double) N;
  printf ("speed, ns per call (best of %d, same %zu points): %s ptr %.1f, %s loop %.1f, GSL ptr %.1f;"
          " GSL/ours: ptr %.2f, loop %.2f\n",
          reps, N, label, ns[0], label, ns[1], ns[2], ns[2] / ns[0], ns[2] / ns[1]);
  return 0;
}
