/* test_search -- mutation, crossover, constant fitting, op lists, and the determinism of a run.  */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/search.h"
#include "search/internal.h"
#include "tests/tap.h"

static void
test_operators (an_rng *r, const eval_target *t)
{
  dsl_prog *seeds[64];
  int n = search_seeds (t, DSL_FLOAT32, &t->domain[DSL_FLOAT32], EVAL_ULP, 1, ~UINT64_C (0), seeds, 64, NULL);
  tap_ok (n >= 10, "exp has scaffold seeds (%d)", n);
  /* Half of them as a search holds them (canonical: fma (t, c, d), values before literals),
     half as the seeds write them (fma (c, t, d)).  */
  for (int i = 1; i < n; i += 2)
    dsl_prog_canonicalize (seeds[i]);
  uint64_t all = (UINT64_C (1) << DSL_NOPS) - 1;
  int bad = 0, made = 0, same = 0, cross = 0, up = 0, down = 0, other = 0, canon = 0;
  dsl_error e;
  for (int i = 0; i < 3000; i++)
    {
      const char *what;
      dsl_prog *q = search_mutate (seeds[i % n], r, all, 24, &what);
      if (!q)
        continue;
      made++;
      bad += dsl_prog_check (q, &e) != 0 || q->ninsn > 24;
      if (strcmp (what, "degree") == 0)
        {
          /* One fma more (the top coefficient c now fma 0 t c), or one less.  */
          int d = q->ninsn - seeds[i % n]->ninsn;
          up += d == 1, down += d == -1, other += d != 1 && d != -1;
          canon += (i % n) % 2;
        }
      same += dsl_prog_equal (q, seeds[i % n]);
      dsl_prog_free (q);
      q = search_crossover (seeds[i % n], seeds[(i * 7 + 3) % n], r, 24);
      if (q)
        {
          cross++;
          bad += dsl_prog_check (q, &e) != 0;
          dsl_prog_free (q);
        }
    }
  tap_ok (made > 2500 && !bad && !same, "3000 mutations: %d programs, all valid, none equal to its parent (%d bad)", made,
          bad);
  tap_ok (cross > 1000, "crossovers give valid programs (%d)", cross);
  tap_ok (up > 50 && down > 50 && other == 0 && canon > 40,
          "degree mutations add or remove one Horner step (%d up, %d down, %d else; %d on canonical programs)", up, down,
          other, canon);

  /* A multiply-free op set is respected by insertions and replacements.  */
  uint64_t nomul;
  tap_ok (search_parse_ops ("-mul,-div,-fma,-sqrt", DSL_FLOAT32, &nomul, &e) == 0 && !(nomul >> DSL_MUL & 1)
            && (nomul >> DSL_ADD & 1),
          "--ops -mul,-div,-fma,-sqrt");
  dsl_prog *base;
  dsl_parse ("in x\nv1 = add x x\nout v1\n", DSL_FLOAT32, 0, &base, &e);
  int leaked = 0;
  for (int i = 0; i < 2000; i++)
    {
      const char *what;
      dsl_prog *q = search_mutate (base, r, nomul, 24, &what);
      for (int k = 0; q && k < q->ninsn; k++)
        leaked += !(nomul >> q->insn[k].op & 1);
      dsl_prog_free (q);
    }
  tap_ok (!leaked, "mutations never bring in an excluded op");
  dsl_prog_free (base);
  uint64_t m;
  tap_ok (search_parse_ops ("add,fma", DSL_FLOAT32, &m, &e) == 0 && m == ((UINT64_C (1) << DSL_ADD) | (UINT64_C (1) << DSL_FMA)),
          "--ops add,fma");
  tap_ok (search_parse_ops ("add,mull", DSL_FLOAT32, &m, &e) < 0 && strstr (e.msg, "unknown op 'mull'"), "--ops rejects unknown ops");
  tap_ok (search_parse_ops ("add,-mul", DSL_FLOAT32, &m, &e) < 0, "--ops rejects a mixed list");
  uint64_t def = search_default_ops (DSL_BFLOAT16), conv = (UINT64_C (1) << DSL_TOF64) | (UINT64_C (1) << DSL_TOF32);
  tap_ok (!(def & conv) && !(def >> DSL_EXP & 1) && (def >> DSL_FMA & 1),
          "the default ops of bfloat16: no conversions, no libm calls");
  tap_ok (search_default_ops (DSL_FLOAT32) == (def | conv) && search_default_ops (DSL_FLOAT64) == def,
          "float32's add the conversions to and from float64; float64's are bfloat16's");
  tap_ok (search_parse_ops ("+tof64,tof32", DSL_BFLOAT16, &m, &e) == 0 && m == (def | conv),
          "--ops +tof64,tof32: the defaults and those");
  tap_ok (search_parse_ops ("-tof64,tof32", DSL_FLOAT32, &m, &e) == 0 && m == def,
          "--ops -tof64,tof32: float32 computed in float32 alone");
  tap_ok (search_parse_ops ("+tof64,-fma", DSL_BFLOAT16, &m, &e) == 0
            && m == ((def | (UINT64_C (1) << DSL_TOF64)) & ~(UINT64_C (1) << DSL_FMA)),
          "--ops +tof64,-fma");

  /* Mixed precision: mutations of a float32 program with a float64 body stay
     consistent in width (every child passes dsl_prog_check), and insert
     instructions of both widths.  */
  dsl_prog *mixed;
  dsl_parse ("in x\nxd = tof64 x\nt = mul xd 0x1.71547652b82fep+0\nk = rint t\nr = fma k -0x1.62e42fefa39efp-1 xd\n"
             "p = fma r 0.5 1\nq = fma p r 1\nki = toint k\ny = ldexp q ki\nyf = tof32 y\nout yf\n",
             DSL_FLOAT32, 0, &mixed, &e);
  int mbad = 0, more64 = 0, more32 = 0, mmade = 0, base64 = 0;
  uint8_t bw[64];
  if (mixed && dsl_prog_widths (mixed, bw, &e) == 0)
    for (int v = 0; v < mixed->nin + mixed->ninsn; v++)
      base64 += bw[v];
  for (int i = 0; mixed && i < 3000; i++)
    {
      const char *what;
      dsl_prog *q = search_mutate (mixed, r, def | conv, 24, &what);
      if (!q)
        continue;
      mmade++;
      uint8_t w[64];
      dsl_error qe;
      if (dsl_prog_check (q, &qe) < 0 || q->nin + q->ninsn > 64 || dsl_prog_widths (q, w, &qe) < 0)
        {
          mbad++;
          dsl_prog_free (q);
          continue;
        }
      int n64 = 0, n = q->nin + q->ninsn;
      for (int v = 0; v < n; v++)
        n64 += w[v];
      more64 += n64 > base64;
      more32 += n - n64 > mixed->nin + mixed->ninsn - base64;
      dsl_prog_free (q);
    }
  tap_ok (mixed && mmade > 2500 && mbad == 0 && more64 > 50 && more32 > 50,
          "3000 mutations of a float32 program with a float64 body: %d made, %d inconsistent; %d with more "
          "float64 values, %d with more float32 ones", mmade, mbad, more64, more32);
  dsl_prog_free (mixed);
  for (int i = 0; i < n; i++)
    dsl_prog_free (seeds[i]);
}

static void
test_fit (an_rng *r, const eval_target *t)
{
  dsl_error e;
  eval_samples *s;
  eval_samples_build (t, DSL_FLOAT32, &t->domain[DSL_FLOAT32], 512, 3, 0, &s, &e);
  /* Cody-Waite with a degree-5 Taylor polynomial: 32 ULP on these points.  */
  const char *text = "in x\nt = mul x 0x1.715476p+0\nk = rint t\nr1 = fma k -0x1.62e4p-1 x\n"
                     "r = fma k -0x1.7f7d1cp-20 r1\np4 = fma 0x1.111112p-7 r 0x1.555556p-5\n"
                     "p3 = fma p4 r 0x1.555556p-3\np2 = fma p3 r 0x1p-1\np1 = fma p2 r 0x1p+0\n"
                     "p0 = fma p1 r 0x1p+0\nki = toint k\ny = ldexp p0 ki\nout y\n";
  dsl_prog *p;
  dsl_parse (text, DSL_FLOAT32, 0, &p, &e);
  search_err before;
  search_measure (p, s, EVAL_ULP, 0, &before);
  double after = search_fit_constants (p, s, EVAL_ULP, 0, r, 3);
  search_err check;
  search_measure (p, s, EVAL_ULP, 0, &check);
  tap_diag ("degree-5 Taylor: %.4f ULP before, %.4f after fitting", before.max, after);
  tap_ok (before.max > 10 && after < before.max / 10 && after < 2 && check.max == after,
          "fitting cuts a Taylor polynomial's error tenfold, and reports its true error");
  dsl_prog_free (p);
  eval_samples_free (s);
}

/* Table-driven seeds, and a table's entries fitted like the other constants (on samples
   large enough to see every entry).  */
static void
test_table (an_rng *r)
{
  const eval_target *t = eval_target_lookup ("exp2");
  const eval_domain *d = &t->domain[DSL_FLOAT32];
  dsl_prog *seeds[128];
  int unparsed = 0, n = search_seeds (t, DSL_FLOAT32, d, EVAL_ULP, 0.6, ~UINT64_C (0), seeds, 128, &unparsed), t16 = 0, t64 = 0;
  for (int i = 0; i < n; i++)
    {
      t16 += seeds[i]->ntab == 16;
      t64 += seeds[i]->ntab == 64;
      dsl_prog_free (seeds[i]);
    }
  int at1 = 0, n1 = search_seeds (t, DSL_FLOAT32, d, EVAL_ULP, 1, ~UINT64_C (0), seeds, 128, NULL);
  for (int i = 0; i < n1; i++)
    {
      at1 += seeds[i]->ntab > 0;
      dsl_prog_free (seeds[i]);
    }
  tap_ok (unparsed == 0 && t16 >= 2 && at1 == 0,
          "exp2 within 0.6 ULP has table-driven seeds (%d with 16 entries, %d with 64), within 1 ULP none (%d)", t16,
          t64, at1);

  /* 2^x = 2^(k >> 4) T[k mod 16] (1 + q(r)), every entry off by 2^-18 relative.  */
  char text[4096] = "in x\ntable f64";
  for (int j = 0; j < 16; j++)
    snprintf (text + strlen (text), sizeof text - strlen (text), " %a", exp2 (j / 16.0) * (1 + ((j & 1) ? 0x1p-18 : -0x1p-18)));
  strcat (text, "\nd = tof64 x\nu = mul d 0x1p4\nkf = rint u\nr = sub u kf\nk = toint kf\nt = lut k 0\n"
                "e = shr k 4\np2 = fma r 0x1.c6b08d704a0cp-17 0x1.ebfbdff82c58fp-11\n"
                "p1 = fma p2 r 0x1.62e42fefa39efp-5\nq = mul p1 r\ny = fma q t t\nz = ldexp y e\n"
                "f = tof32 z\nout f\n");
  dsl_error e;
  dsl_prog *p = NULL;
  eval_samples *big, *small;
  if (dsl_parse (text, DSL_FLOAT32, 0, &p, &e) < 0
      || eval_samples_build (t, DSL_FLOAT32, d, 4096, 3, 0, &big, &e) < 0
      || eval_samples_build (t, DSL_FLOAT32, d, 512, 3, 0, &small, &e) < 0)
    {
      tap_ok (0, "table program and samples: %s", e.msg);
      dsl_prog_free (p);
      return;
    }
  dsl_prog *q = dsl_prog_clone (p);
  search_err before;
  search_measure (p, big, EVAL_ULP, 0, &before);
  double on_small = search_fit_constants (q, small, EVAL_ULP, 0, r, 2);
  /* On 512 points an entry moves only where 16 points or more read it: the fit must not
     make the function worse between them.  */
  search_err qbig;
  search_measure (q, big, EVAL_ULP, 0, &qbig);
  int qmoved = 0;
  for (int j = 0; j < 16; j++)
    qmoved += p->tab[j] != q->tab[j];
  double after = search_fit_constants (p, big, EVAL_ULP, 0, r, 2);
  int moved = 0;
  for (int j = 0; j < 16; j++)
    moved += p->tab[j] != q->tab[j];
  tap_diag ("16-entry table off by 2^-18: %.3f ULP on 4096 points, %.3f after fitting on them; fitted on 512 "
            "points: %.3f on them, %.3f on the 4096 (%d entries moved)", before.max, after, on_small, qbig.max, qmoved);
  tap_ok (before.max > 2 && after < 1 && moved >= 8 && qbig.max < before.max,
          "a table's entries are fitted on 4096 points (%d of 16 moved); on 512 points (%d moved) the fit does not "
          "make the 4096 worse", moved, qmoved);
  dsl_prog_free (p);
  dsl_prog_free (q);
  eval_samples_free (big);
  eval_samples_free (small);
}

/* The front of S as text (what test_determinism compares).  */
static char *
front_text (const search_state *s)
{
  const search_indiv **f;
  int n = search_front (s, &f);
  size_t cap = 1 << 16, len = 0;
  char *out = calloc (cap, 1);
  for (int i = 0; i < n && len < cap - 4096; i++)
    {
      char *text = dsl_print (f[i]->prog, 0);
      len += snprintf (out + len, cap - len, "%llu %a %a %a\n%s", (unsigned long long) f[i]->id, f[i]->cost,
                       f[i]->err_small, f[i]->err_large, text);
      free (text);
    }
  return out;
}

/* Runs a short search and returns its front as text.  */
static char *
run (const eval_target *t, int threads, uint64_t seed)
{
  search_params p;
  search_params_default (&p, t, DSL_FLOAT32);
  p.seed = seed;
  p.threads = threads;
  p.population = 12;
  p.generations = 3;
  p.seconds = 0;
  p.verify = 0;
  dsl_error e;
  search_state *s = search_new (&p, &e);
  if (!s)
    return NULL;
  while (search_step (s, &e) > 0)
    ;
  char *out = front_text (s);
  search_free (s);
  return out;
}

static void
test_determinism (const eval_target *t)
{
  char *a = run (t, 1, 42), *b = run (t, 2, 42), *c = run (t, 2, 43);
  tap_ok (a && b && strcmp (a, b) == 0, "same seed, 1 and 2 threads: the same front, bit for bit");
  tap_ok (a && c && strcmp (a, c) != 0, "another seed: another run");
  free (a);
  free (b);
  free (c);
}

/* A short search of island ISLAND with SEED (no verification), run for GENS generations.  */
static search_state *
island (const eval_target *t, uint64_t seed, int isl, int gens)
{
  search_params p;
  search_params_default (&p, t, DSL_FLOAT32);
  p.seed = seed;
  p.threads = 2;
  p.population = 12;
  p.generations = gens;
  p.seconds = 0;
  p.verify = 0;
  p.islands = 2;
  p.island = isl;
  dsl_error e;
  search_state *s = search_new (&p, &e);
  while (s && search_step (s, &e) > 0)
    ;
  return s;
}


/* The migrants in S's population: how many, and how many have the scores their programs
   have on S's large sample.  */
static void
migrants (const search_state *s, int *n, int *measured)
{
  *n = *measured = 0;
  for (int i = 0; i < s->npop; i++)
    if (s->pop[i].origin && strcmp (s->pop[i].origin, "migrant") == 0)
      {
        search_err m;
        search_measure (s->pop[i].prog, s->large, EVAL_ULP, 0, &m);
        ++*n;
        *measured += search_objective (&m) == s->pop[i].err_large && s->pop[i].large_points == s->large->n;
      }
}

/* Islands and migration (search/migrate.c): island 0 is the lone run, island 1 is not; what
   one island sends another takes, with the scores kept where the samples are the same and
   measured again where they are not.  */
static void
test_migration (const eval_target *t)
{
  search_state *a = island (t, 42, 1, 3), *b = island (t, 42, 0, 3), *c = island (t, 43, 0, 3);
  if (!a || !b || !c)
    {
      tap_ok (0, "three islands run");
      return;
    }
  char *lone = run (t, 2, 42), *f0 = front_text (b), *f1 = front_text (a);
  tap_ok (lone && strcmp (lone, f0) == 0 && strcmp (f0, f1) != 0,
          "island 0 evolves as the run on its own, island 1 from generators of its own");
  free (lone);
  free (f0);
  free (f1);
  dsl_error e;
  size_t n;
  unsigned char *msg = search_emigrants (a, 3, &n, &e);
  const search_indiv **f;
  int nf = search_front (a, &f);
  int got = msg ? search_immigrate (b, msg, n, &e) : -1, nb, mb;
  migrants (b, &nb, &mb);
  tap_ok (nf >= 3 && got == 3 && nb == 3 && mb == 3,
          "3 of island 1's %d front members join island 0 with their scores (the same samples)", nf);
  int gc = msg ? search_immigrate (c, msg, n, &e) : -1, nc, mc;
  migrants (c, &nc, &mc);
  tap_ok (gc == 3 && nc == 3 && mc == 3, "where the samples differ (another seed), they are measured on the receiver's");
  tap_ok (msg && search_immigrate (c, msg, n - 1, &e) < 0 && strstr (e.msg, "middle"), "a cut message is refused: %s",
          e.msg);
  tap_ok (search_immigrate (c, "xxxxxxxxxxxxxxxxxxxx", 20, &e) < 0 && strstr (e.msg, "not a message"),
          "bytes that are not a message are refused: %s", e.msg);
  free (msg);
  search_free (a);
  search_free (b);
  search_free (c);
}

/* What probing finds on the built-in targets: the test knows their names, the
   library does not (search/probe.c looks only at the reference).  */
static void
test_probe (void)
{
  static const struct {
    const char *name;
    int exp_like, log_like, odd, saturates;
    double value;   /* log2 b, or c = f(2u) - f(u) */
    double off;     /* exp: the offset; log: the shift */
  } want[] = {
    {"exp", 1, 0, 0, 0, 1.4426950408889634, 0},
    {"exp2", 1, 0, 0, 0, 1, 0},
    {"exp10", 1, 0, 0, 0, 3.3219280948873622, 0},
    {"expm1", 1, 0, 0, 0, 1.4426950408889634, -1},
    {"log", 0, 1, 0, 0, 0.69314718055994531, 0},
    {"log2", 0, 1, 0, 0, 1, 0},
    {"log10", 0, 1, 0, 0, 0.30102999566398120, 0},
    {"log1p", 0, 1, 0, 0, 0.69314718055994531, 1},
    {"tanh", 0, 0, 1, 1, 0, 0},
    {"erf", 0, 0, 1, 1, 0, 0},
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    {
      const eval_target *t = eval_target_lookup (want[i].name);
      search_props pr;
      search_probe (t, DSL_FLOAT32, &t->domain[DSL_FLOAT32], &pr);
      double got = pr.exp_like ? pr.exp_log2b : pr.log_c, off = pr.exp_like ? pr.exp_off : pr.log_shift;
      int ok = pr.exp_like == want[i].exp_like && pr.log_like == want[i].log_like && pr.odd == want[i].odd
               && pr.saturates == want[i].saturates
               && (!(pr.exp_like || pr.log_like) || (fabs (got - want[i].value) < 1e-9 && off == want[i].off));
      tap_ok (ok, "probe %s: exp-like %d, log-like %d, odd %d, saturates %d (at %a to %a), b or c %.17g, offset or shift %g",
              want[i].name, pr.exp_like, pr.log_like, pr.odd, pr.saturates, pr.sat_x, pr.sat_v, got, off);
      dsl_prog *seeds[MAXSEEDS];
      int unparsed = 0;
      int n = search_seeds (t, DSL_FLOAT32, &t->domain[DSL_FLOAT32], EVAL_ULP, 1, ~UINT64_C (0), seeds, MAXSEEDS, &unparsed), small = 0;
      for (int k = 0; k < n; k++)
        {
          small += seeds[k]->ninsn <= 32;
          dsl_prog_free (seeds[k]);
        }
      tap_ok (n >= 8 && small >= 8 && unparsed == 0, "%s: %d seeds, every one parses (%d do not), %d within 32 instructions",
              want[i].name, n, unparsed, small);
    }
  /* An odd part c x (GELU, SiLU): f = c x + an even function; sigmoid's odd part is not linear.  */
  static const struct {
    const char *name;
    int lin_odd;
    double c;
  } lin[] = {{"gelu", 1, 0.5}, {"silu", 1, 0.5}, {"sigmoid", 0, 0}, {"(FPCore (x) (+ (* 3 x) (cos x)))", 1, 3}};
  const eval_target *sg = eval_target_lookup ("sigmoid");
  search_props sp;
  eval_domain sd = {{-10}, {10}};
  search_probe (sg, DSL_FLOAT32, &sd, &sp);
  tap_ok (sp.even_const && sp.even_k == 0.5 && !sp.lin_odd, "probe sigmoid: even part the constant %g", sp.even_k);
  for (size_t i = 0; i < sizeof lin / sizeof lin[0]; i++)
    {
      const eval_target *t = eval_target_resolve (lin[i].name, NULL);
      search_props pr;
      eval_domain d = {{-10}, {10}};
      search_probe (t, DSL_FLOAT32, &d, &pr);
      tap_ok (pr.lin_odd == lin[i].lin_odd && (!pr.lin_odd || fabs (pr.lin_c - lin[i].c) < 1e-12),
              "probe %s on [-10, 10]: odd part linear %d (c = %g)", lin[i].name, pr.lin_odd, pr.lin_c);
    }
  /* GELU within 1e-6 absolute: the half-domain seeds (x^+ + f(-|x|), f(-|x|) in the log domain)
     are within it on samples before evolution (one of 27 instructions verifies at 4.5e-7 on all
     2185232386 inputs: doc/autonum.md); the rational ones in x^2 come close.  */
  {
    const eval_target *g = eval_target_lookup ("gelu");
    eval_domain d = {{-10}, {10}};
    dsl_prog *seeds[MAXSEEDS];
    eval_samples *smp = NULL;
    dsl_error e;
    int n = search_seeds (g, DSL_FLOAT32, &d, EVAL_ABS, 1e-6, ~UINT64_C (0), seeds, MAXSEEDS, NULL);
    double best = INFINITY;
    if (eval_samples_build (g, DSL_FLOAT32, &d, 4000, 11, 2, &smp, &e) == 0)
      for (int k = 0; k < n; k++)
        {
          eval_score sc;
          if (eval_score_prog (seeds[k], smp, EVAL_ABS, 1e-6, &sc, &e) == 0 && sc.err.max[EVAL_ABS] < best)
            best = sc.err.max[EVAL_ABS];
        }
    for (int k = 0; k < n; k++)
      dsl_prog_free (seeds[k]);
    eval_samples_free (smp);
    tap_ok (best < 1e-6, "gelu, abs 1e-6 on [-10, 10]: the best seed's max error on 4000 samples is %g", best);
  }
  /* bfloat16 GELU in ULPs: the log-domain seeds (x e^H, H a fitted polynomial, e^H by Cody-Waite)
     follow its Gaussian tail; the best is within 1 ULP on every finite input already.  */
  {
    const eval_target *g = eval_target_lookup ("gelu");
    const eval_domain *d = &g->domain[DSL_BFLOAT16];
    dsl_prog *seeds[MAXSEEDS];
    eval_samples *smp = NULL;
    dsl_error e;
    int n = search_seeds (g, DSL_BFLOAT16, d, EVAL_ULP, 1, ~UINT64_C (0), seeds, MAXSEEDS, NULL);
    double best = INFINITY;
    size_t points = 0;
    if (eval_samples_build (g, DSL_BFLOAT16, d, 1 << 17, 11, 2, &smp, &e) == 0)
      for (int k = 0; k < n; k++)
        {
          eval_score sc;
          if (eval_score_prog (seeds[k], smp, EVAL_ULP, 1, &sc, &e) == 0 && sc.max_ulp < best)
            best = sc.max_ulp, points = sc.npoints;
        }
    for (int k = 0; k < n; k++)
      dsl_prog_free (seeds[k]);
    tap_ok (best < 1 && smp && smp->complete, "bfloat16 gelu: the best seed is within %g ULP on all %zu finite inputs",
            best, points);
    eval_samples_free (smp);
  }
  /* Two-argument targets: only power laws c x^a y^b are probed for.  */
  search_props pr;
  const eval_target *h = eval_target_lookup ("hypot");
  search_probe (h, DSL_FLOAT32, &h->domain[DSL_FLOAT32], &pr);
  tap_ok (!pr.exp_like && !pr.log_like && !pr.odd && !pr.saturates && !pr.pow_like,
          "probe of hypot finds nothing (no power law)");
  static const struct {
    const char *name;
    double a, b, c;
  } pw[] = {{"mul", 1, 1, 1}, {"(FPCore (x y) (/ (* 3 x) y))", 1, -1, 3}, {"(FPCore (x y) (sqrt (* x y)))", 0.5, 0.5, 1},
            {"(FPCore (x y) (* x (* y y)))", 1, 2, 1}};
  for (size_t i = 0; i < sizeof pw / sizeof pw[0]; i++)
    {
      const eval_target *t = eval_target_resolve (pw[i].name, NULL);
      eval_domain d = {{0x1p-10, 0x1p-10}, {0x1p10, 0x1p10}};
      search_probe (t, DSL_FLOAT32, &d, &pr);
      tap_ok (pr.pow_like && pr.pow_a == pw[i].a && pr.pow_b == pw[i].b && fabs (pr.pow_c - pw[i].c) < 1e-12,
              "probe %s: a power law (%d), c x^%g y^%g with c = %.17g", pw[i].name, pr.pow_like, pr.pow_a, pr.pow_b,
              pr.pow_c);
    }
  /* Multiply-free seeds only where the ops have no mul: Mitchell's product with its fitted offset
     (between Mitchell's 11.1% and L-Mul's 7.3% on bfloat16) and the split forms (below 5% on a
     box whose products stay 2^8 from the ends, the scaled one below 3.64% on the default box);
     Schraudolph's exponential within 1%.  */
  {
    const eval_target *m = eval_target_lookup ("mul"), *e = eval_target_lookup ("exp");
    uint64_t mf = search_preset_ops ("mulfree");
    dsl_prog *seeds[MAXSEEDS];
    int n = search_seeds (m, DSL_BFLOAT16, &m->dflt[DSL_BFLOAT16], EVAL_REL, 0.05, ~UINT64_C (0), seeds, MAXSEEDS, NULL);
    for (int k = 0; k < n; k++)
      dsl_prog_free (seeds[k]);
    tap_ok (n == 1, "bfloat16 mul with every op: one seed (mul x y), none multiply-free (%d)", n);
    /* On a box whose products stay 2^8 from the ends, and on the default box (every exact
       product normal), where only the scaled split form (x below 1 times 2^S, the result
       scaled back) keeps its second term from underflowing.  Kinds: 0 Mitchell, 1 the split
       form, 2 its offset in both terms, 3 that scaled.  */
    for (int box = 0; box < 2; box++)
      {
        eval_domain d = box ? m->dflt[DSL_BFLOAT16] : (eval_domain) {{0x1p-59, 0x1p-59}, {0x1.fep59, 0x1.fep59}};
        n = search_seeds (m, DSL_BFLOAT16, &d, EVAL_REL, 0.05, mf, seeds, MAXSEEDS, NULL);
        eval_samples *smp = NULL;
        dsl_error er;
        double err[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
        int kinds = 0, iops[4] = {0, 0, 0, 0};
        if (eval_samples_build (m, DSL_BFLOAT16, &d, 1 << 16, 7, 2, &smp, &er) == 0)
          for (int k = 0; k < n; k++)
            {
              eval_score sc;
              int mulfree = 1, split = 0, iadds = 0, scaled = 0, ni = 0;
              for (int q = 0; q < seeds[k]->ninsn; q++)
                {
                  int op = seeds[k]->insn[q].op;
                  mulfree &= (mf >> op) & 1, split |= op == DSL_AND, iadds += op == DSL_IADD;
                  scaled |= op == DSL_SELECT;
                  ni += op == DSL_IADD || op == DSL_ISUB || op == DSL_AND || op == DSL_OR || op == DSL_XOR
                        || op == DSL_SHL || op == DSL_SHR;
                }
              if (!mulfree)
                continue;
              int kind = !split ? 0 : scaled ? 3 : iadds == 4 ? 1 : 2;
              kinds |= 1 << kind;
              iops[kind] = ni;
              if (eval_score_prog (seeds[k], smp, EVAL_REL, 0.05, &sc, &er) == 0)
                err[kind] = sc.err.max[EVAL_REL];
            }
        for (int k = 0; k < n; k++)
          dsl_prog_free (seeds[k]);
        eval_samples_free (smp);
        /* L-Mul: 2 integer ops, 7.3%; the bar: below half of that with at most 4 more.  */
        tap_ok (kinds == 15 && err[3] < 0.0364 && iops[3] <= 6
                  && (box ? err[1] > 0.0364 && err[2] > 0.0364   /* unscaled: over- or underflows at the corners */
                          : err[0] > 0.0625 && err[0] < 0.0729 && err[1] < 0.05 && err[2] < 0.05),
                "bfloat16 mul under mulfree on %s: seed kinds %#x; Mitchell with a fitted offset %g, the split form "
                "%g, its offset in both terms %g, that scaled %g with %d integer ops (65536 samples)",
                box ? "the default box" : "[2^-59, 2^59]^2", kinds, err[0], err[1], err[2], err[3], iops[3]);
      }
    eval_samples *smp = NULL;
    dsl_error er;
    eval_domain de = {{-87}, {88}};
    n = search_seeds (e, DSL_FLOAT32, &de, EVAL_REL, 0.01, mf, seeds, MAXSEEDS, NULL);
    double best = INFINITY;
    if (eval_samples_build (e, DSL_FLOAT32, &de, 1 << 16, 7, 2, &smp, &er) == 0)
      for (int k = 0; k < n; k++)
        {
          eval_score sc;
          int mulfree = 1;
          for (int q = 0; q < seeds[k]->ninsn; q++)
            mulfree &= (mf >> seeds[k]->insn[q].op) & 1;
          if (mulfree && eval_score_prog (seeds[k], smp, EVAL_REL, 0.01, &sc, &er) == 0 && sc.err.max[EVAL_REL] < best)
            best = sc.err.max[EVAL_REL];
        }
    for (int k = 0; k < n; k++)
      dsl_prog_free (seeds[k]);
    eval_samples_free (smp);
    tap_ok (best < 0.01, "float32 exp on [-87, 88] under mulfree: the best multiply-free seed is %g relative (65536 samples)",
            best);
  }
}

/* Targets that declare a seed program (eval/seeds/, the published forms): it parses, fits
   the target, its ops join the default op set, and it is as accurate as written on 300
   samples of the default domain; bound to a fixed order (--order), it is a program of x.  */
static void
test_declared_seeds (void)
{
  for (int i = 0; i < eval_target_count (); i++)
    {
      const eval_target *t = eval_target_at (i);
      if (!t->seed)
        continue;
      const eval_target *targets[3] = {t, NULL, NULL};
      dsl_error e;
      targets[1] = t->arity == 2 ? eval_target_fix (t, "0", &e) : NULL;
      targets[2] = t->arity == 2 ? eval_target_fix (t, "0.5", &e) : NULL;
      for (int k = 0; k < 3; k++)
        {
          const eval_target *u = targets[k];
          if (!u)
            {
              tap_ok (k == 0 || t->arity != 2, "%s: the fixed-order target exists", t->name);
              continue;
            }
          dsl_prog *p;
          search_params sp;
          search_params_default (&sp, u, u->seed_type);
          int got = search_target_seed (u, u->seed_type, &p);
          int inops = got == 1;
          for (int j = 0; inops && j < p->ninsn; j++)
            inops = (sp.ops >> p->insn[j].op) & 1;
          eval_samples *smp = NULL;
          eval_score sc = {0};
          int scored = got == 1 && p->nin == u->arity && p->ninsn <= sp.max_insn
                       && eval_samples_build (u, u->seed_type, &u->dflt[u->seed_type], 300, 7, 0, &smp, &e) == 0
                       && eval_score_prog (p, smp, EVAL_ULP, 1, &sc, &e) == 0;
          /* log K_0(x) at a fixed order: the samples (all of one v) meet the zero crossing
             K_0(x) = 1 (x = 0.457), where log K is -2.28e-9 at the nearest float and one
             ULP is 2.2e-16: within 1 ULP would take K_0 to half a double ulp; the seed's
             absolute error there is 2.8e-16, 1.24 ULP (measured).  Elsewhere within 1.  */
          double bound = u->seed_bind && strstr (u->label, "logbesselk") ? 2 : 1;
          tap_ok (scored && inops && sc.max_ulp < bound, "%s: the declared seed (%d inputs, %d instructions) is within "
                  "%g ULP on 300 samples: %g", u->label, got == 1 ? p->nin : -1, got == 1 ? p->ninsn : -1, bound,
                  sc.max_ulp);
          eval_samples_free (smp);
          if (got == 1)
            dsl_prog_free (p);
        }
    }
}

/* The best max ULP error of the N programs P on 2000 samples of T on [LO, HI] (seed 11).  */
static double
best_on (const eval_target *t, dsl_prog **p, int n, double lo, double hi)
{
  eval_domain d = t->dflt[DSL_FLOAT32];
  d.lo[0] = eval_round_to (DSL_FLOAT32, lo);
  d.hi[0] = eval_round_to (DSL_FLOAT32, hi);
  eval_samples *smp = NULL;
  dsl_error e;
  double best = INFINITY;
  if (eval_samples_build (t, DSL_FLOAT32, &d, 2000, 11, 0, &smp, &e) < 0)
    return tap_diag ("samples of %s: %s", t->label, e.msg), NAN;
  for (int i = 0; i < n; i++)
    {
      eval_score sc;
      if (eval_score_prog (p[i], smp, EVAL_ULP, 1, &sc, &e) == 0 && sc.max_ulp < best)
        best = sc.max_ulp;
    }
  eval_samples_free (smp);
  return best;
}

/* A kernel computing G's libm function OP, in float64 inside (WIDE) or in float32.  */
static dsl_prog *
libm_kernel (const char *op, int wide)
{
  char text[128];
  dsl_prog *p = NULL;
  dsl_error e;
  if (wide)
    snprintf (text, sizeof text, "in x\nv1 = tof64 x\nv2 = %s v1\nv3 = tof32 v2\nout v3\n", op);
  else
    snprintf (text, sizeof text, "in x\nv1 = %s x\nout v1\n", op);
  dsl_parse (text, DSL_FLOAT32, 0, &p, &e);
  return p;
}

/* Composition (search_kernel_seeds): relations found from the references alone, the
   kernel spliced in, R in float64 around it; none where there is no relation.  */
static void
test_kernels (void)
{
  static const struct {
    const char *target, *kernel, *op;
    double lo, hi, bound;
  } cases[] = {
    { "sigmoid", "exp", "exp", -200, 200, 0.51 },   /* e^x / (1 + e^x) */
    { "tanh", "exp", "exp", -20, 20, 0.51 },        /* (e^2x - 1) / (e^2x + 1), x below 2^-13 alone */
    { "expm1", "exp", "exp", -60, 80, 0.6 },        /* e^x - 1 */
    { "log2", "log", "log", 0x1p-140, 1e38, 0.51 }, /* log x / log 2 */
    { "log1p", "log", "log", -0.9, 1e30, 0.51 },    /* log (1 + x) in float64 */
  };
  for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
    {
      const eval_target *t = eval_target_lookup (cases[c].target);
      search_kernel k = { libm_kernel (cases[c].op, 1), eval_target_lookup (cases[c].kernel), 0 };
      dsl_prog *seeds[8];
      int n = search_kernel_seeds (t, DSL_FLOAT32, &t->dflt[DSL_FLOAT32], &k, 1, seeds, 8), spliced = n > 0;
      for (int i = 0; i < n; i++)
        {
          int has = 0;
          for (int j = 0; j < seeds[i]->ninsn; j++)
            has |= strcmp (dsl_op (seeds[i]->insn[j].op)->name, cases[c].op) == 0;
          spliced &= has;
        }
      double best = best_on (t, seeds, n, cases[c].lo, cases[c].hi);
      tap_ok (spliced && best < cases[c].bound, "%s from a %s kernel: %d seeds with it spliced in, the best %g ULP on "
              "[%g, %g] (bound %g)", cases[c].target, cases[c].kernel, n, best, cases[c].lo, cases[c].hi,
              cases[c].bound);
      for (int i = 0; i < n; i++)
        dsl_prog_free (seeds[i]);
      dsl_prog_free ((dsl_prog *) k.prog);
    }
  /* A float32 kernel (expf): R in float64 around its rounded result, and in float32.  */
  const eval_target *sig = eval_target_lookup ("sigmoid");
  search_kernel k = { libm_kernel ("exp", 0), eval_target_lookup ("exp"), 0 };
  dsl_prog *seeds[8];
  int n = search_kernel_seeds (sig, DSL_FLOAT32, &sig->dflt[DSL_FLOAT32], &k, 1, seeds, 8);
  double best = best_on (sig, seeds, n, -80, 80);
  tap_ok (n >= 2 && best < 1.5, "sigmoid from a float32 exp kernel: %d seeds, the best %g ULP on [-80, 80]", n, best);
  for (int i = 0; i < n; i++)
    dsl_prog_free (seeds[i]);
  /* No relation, or the kernel is the target's own: nothing.  */
  const eval_target *erf = eval_target_lookup ("erf"), *ex = eval_target_lookup ("exp");
  int none = search_kernel_seeds (erf, DSL_FLOAT32, &erf->dflt[DSL_FLOAT32], &k, 1, seeds, 8);
  int self = search_kernel_seeds (ex, DSL_FLOAT32, &ex->dflt[DSL_FLOAT32], &k, 1, seeds, 8);
  tap_ok (none == 0 && self == 0, "no seed for erf from an exp kernel (%d), nor for exp itself (%d)", none, self);

  /* In a search: the composed seeds join the population as "kernel".  */
  search_params p;
  search_params_default (&p, sig, DSL_FLOAT32);
  p.population = 8;
  p.generations = 1;
  p.seconds = 0;
  p.verify = 0;
  p.threads = 1;
  p.kernels = &k;
  p.nkernels = 1;
  p.ops |= UINT64_C (1) << DSL_EXP;   /* the kernel's libm call, as --kernel adds it */
  dsl_error e;
  search_state *s = search_new (&p, &e);
  int kern = 0;
  double kbest = INFINITY;
  for (int i = 0; s && i < s->npop; i++)
    if (s->pop[i].origin && strcmp (s->pop[i].origin, "kernel") == 0)
      kern++, kbest = fmin (kbest, s->pop[i].err_small);
  tap_ok (s && kern >= 1 && kbest < 1.5 && !s->P.kernels, "a sigmoid search starts with %d composed seeds (best %g ULP on "
          "its small sample) and keeps no pointer to the kernels", kern, kbest);
  search_free (s);
  dsl_prog_free ((dsl_prog *) k.prog);
}

/* The value of P at float32 X.  */
static float
run_at (const dsl_prog *p, float x)
{
  const void *in[1] = { &x };
  float y = NAN;
  dsl_run (p, 1, in, &y);
  return y;
}

/* The float literal of P's first instruction with op OP, slot S (NAN: none).  */
static float
literal_of (const dsl_prog *p, int op, int s)
{
  for (int k = 0; k < p->ninsn; k++)
    if (p->insn[k].op == op && p->insn[k].a[s].is_const)
      return eval_f32_from_bits ((uint32_t) p->insn[k].a[s].bits);
  return NAN;
}

/* The structural mutations rewrite a program as the target's probed properties say: each
   child of the base P(x) = x/2 + 1/4 is compared with the function the rewrite must give,
   at 2000 points of the target's domain (a quarter of them tiny).  */
static void
test_macro (an_rng *r)
{
  const char *names[] = { "exp", "log", "tanh" };
  uint64_t all = (UINT64_C (1) << DSL_NOPS) - 1;
  dsl_error e;
  dsl_prog *base;
  dsl_parse ("in x\nv1 = fma 0.5 x 0.25\nout v1\n", DSL_FLOAT32, 0, &base, &e);
  for (int ti = 0; ti < 3; ti++)
    {
      const eval_target *t = eval_target_lookup (names[ti]);
      const eval_domain *d = &t->domain[DSL_FLOAT32];
      search_props pr;
      search_probe (t, DSL_FLOAT32, d, &pr);
      int seen[4] = { 0, 0, 0, 0 }, wrong[4] = { 0, 0, 0, 0 }, variants[4] = { 0, 0, 0, 0 };
      const char *kinds[4] = { "rational", "symmetry", "regime", "reduce" };
      for (int i = 0; i < 400; i++)
        {
          const char *what;
          dsl_prog *q = search_mutate_props (base, &pr, NULL, 0, r, all, 24, &what);
          int kind = -1;
          for (int k = 0; k < 4; k++)
            if (q && strcmp (what, kinds[k]) == 0)
              kind = k;
          if (kind < 0)
            {
              dsl_prog_free (q);
              continue;
            }
          seen[kind]++;
          int fold = 0;
          for (int k = 0; k < q->ninsn; k++)
            fold |= q->insn[k].op == DSL_SELECT && kind == 3;
          float tiny = literal_of (q, DSL_LT, 1), c = 0;
          variants[kind] |= 1 << (kind == 3 ? fold : kind == 2 ? isnan (tiny) : 0);   /* folded; saturation */
          for (int j = 0; j < 2000; j++)
            {
              float x = (float) (d->lo[0] + (d->hi[0] - d->lo[0]) * an_rng_unit (r));
              if (j % 4 == 0)
                x = ldexpf (x, -(int) an_rng_below (r, 40));
              float p = fmaf (0.5f, x, 0.25f), want = p, got = run_at (q, x);
              if (kind == 1)
                want = copysignf (fmaf (0.5f, fabsf (x), 0.25f), x);
              else if (kind == 2)
                {
                  /* One regime per rewrite: the limit past the saturation, or the slope below TINY.  */
                  if (isnan (tiny) && x >= (float) pr.sat_x)
                    want = (float) pr.sat_v;
                  else if (isnan (tiny) && x <= (float) -pr.sat_x)
                    want = (float) -pr.sat_v;
                  else if (fabsf (x) < tiny)
                    want = x * (float) pr.slope0;
                }
              else if (kind == 3 && pr.exp_like)
                {
                  float k = rintf (x * (float) pr.exp_log2b);
                  want = ldexpf (fmaf (0.5f, fmaf (k, (float) (-1 / pr.exp_log2b), x), 0.25f), (int) k);
                }
              else if (kind == 3)
                {
                  int ex;
                  float m = 2 * frexpf (x, &ex);
                  ex--;
                  if (fold && m > (float) M_SQRT2)
                    m *= 0.5f, ex++;
                  c = (float) pr.log_c;
                  want = fmaf ((float) ex, c, fmaf (0.5f, m, 0.25f));
                  if (x < 0x1p-126f)
                    want = got;   /* subnormals: left to evolution */
                }
              if (!(got == want || (isnan (got) && isnan (want))) && wrong[kind] < 3)
                {
                  char *txt = dsl_print (q, 0);
                  tap_diag ("x %a got %a want %a tiny %a\n%s", x, got, want, tiny, txt);
                  free (txt);
                }
              wrong[kind] += !(got == want || (isnan (got) && isnan (want)));
            }
          dsl_prog_free (q);
        }
      /* What each target has: exp a reduction; log a reduction, folded and not; tanh a
         symmetry and both regimes.  */
      int ok = seen[0] > 0 && !wrong[0] && !wrong[1] && !wrong[2] && !wrong[3]
               && (ti == 2 ? seen[1] > 0 && seen[2] > 0 && !seen[3] : !seen[1] && !seen[2] && seen[3] > 0)
               && (ti != 1 || variants[3] == 3) && (ti != 2 || variants[2] == 3);
      tap_ok (ok, "%s: structural mutations rational %d, symmetry %d, regime %d, reduce %d; each computes its "
              "rewrite at 2000 points (wrong: %d %d %d %d)", names[ti], seen[0], seen[1], seen[2], seen[3], wrong[0],
              wrong[1], wrong[2], wrong[3]);
    }
  dsl_prog_free (base);
}

/* The number of P's instructions with op OP.  */
static int
count_op (const dsl_prog *p, int op)
{
  int n = 0;
  for (int k = 0; k < p->ninsn; k++)
    n += p->insn[k].op == op;
  return n;
}

/* A polynomial cut into pieces (the "pieces" rewrite): of the same degree it computes the
   parent's function but for the rounding of the re-expanded coefficients; one degree less,
   or the same, fitted on 512 points, it beats the parent's fitted polynomial by far.  And
   the composition rewrite grafts a donor's values.  */
static void
test_pieces (an_rng *r)
{
  uint64_t all = (UINT64_C (1) << DSL_NOPS) - 1;
  dsl_error e;
  dsl_prog *base, *quad, *donor;
  dsl_parse ("in x\nv1 = fma 0x1p-3 x -0.5\nv2 = fma v1 x 0.75\nv3 = fma v2 x 2\nout v3\n", DSL_FLOAT32, 0, &base, &e);
  dsl_parse ("in x\nv1 = fma 0.5 x 1\nv2 = fma v1 x 1\nout v2\n", DSL_FLOAT32, 0, &quad, &e);
  dsl_parse ("in x\nv1 = mul x 0x1.2345p-3\nv2 = add v1 0x1.6789p-1\nout v2\n", DSL_FLOAT32, 0, &donor, &e);
  search_props pr;
  memset (&pr, 0, sizeof pr);
  pr.lo[0] = -2, pr.hi[0] = 3;
  int seen = 0, same = 0, lower = 0, wrong = 0, shapes = 0, canon = 0;
  dsl_prog *cbase = dsl_prog_clone (base);   /* as a search holds it: fma (x, c, d) */
  dsl_prog_canonicalize (cbase);
  for (int i = 0; i < 1200; i++)
    {
      const char *what;
      dsl_prog *q = search_mutate_props (i % 2 ? cbase : base, &pr, NULL, 0, r, all, 40, &what);
      if (!q || strcmp (what, "pieces") != 0)
        {
          dsl_prog_free (q);
          continue;
        }
      seen++;
      canon += i % 2;
      int luts = count_op (q, DSL_LUT), np = luts ? q->ntab / luts : 0;
      shapes |= 1 << (np & 15);
      if (luts == 3)
        lower++;
      else if (luts == 4 && q->ntab == 4 * np)
        {
          same++;
          for (int j = 0; j < 2000; j++)
            {
              float x = (float) (-2 + 5 * an_rng_unit (r)), ax = fabsf (x);
              float want = fmaf (fmaf (fmaf (0x1p-3f, x, -0.5f), x, 0.75f), x, 2), got = run_at (q, x);
              float scale = ax * ax * ax / 8 + ax * ax / 2 + ax * 0.75f + 2;
              if (!(fabsf (got - want) <= 0x1p-18f * scale))
                {
                  if (wrong++ < 3)
                    tap_diag ("pieces: x %a got %a want %a", x, got, want);
                }
            }
        }
      else
        wrong++;
      dsl_prog_free (q);
    }
  tap_ok (seen > 0 && same > 0 && lower > 0 && canon > 0 && !wrong && (shapes & (shapes - 1)),
          "pieces: %d rewrites of a cubic on [-2, 3] (%d of the canonical form; %d of its degree, equal to it within "
          "2^-18 at 2000 points; %d of degree 2; %d wrong; piece counts %#x)", seen, canon, same, lower, wrong, shapes);
  dsl_prog_free (cbase);

  /* e^x on [-1, 1]: the quadratic fitted against its pieces fitted, both on 512 points,
     measured on 4096.  */
  const eval_target *t = eval_target_lookup ("exp");
  eval_domain d = { { -1 }, { 1 } };
  eval_samples *small, *big;
  search_err plain, cut;
  if (eval_samples_build (t, DSL_FLOAT32, &d, 512, 3, 0, &small, &e) < 0
      || eval_samples_build (t, DSL_FLOAT32, &d, 4096, 4, 0, &big, &e) < 0)
    {
      tap_ok (0, "samples: %s", e.msg);
      return;
    }
  dsl_prog *qp = dsl_prog_clone (quad);
  search_fit_constants (qp, small, EVAL_ULP, 0, r, 3);
  search_measure (qp, big, EVAL_ULP, 0, &plain);
  pr.lo[0] = -1, pr.hi[0] = 1;
  dsl_prog *pc = NULL;
  for (int i = 0; i < 2000 && !pc; i++)
    {
      const char *what;
      dsl_prog *q = search_mutate_props (quad, &pr, NULL, 0, r, all, 40, &what);
      if (q && strcmp (what, "pieces") == 0 && count_op (q, DSL_LUT) == 3 && q->ntab == 12)
        pc = q;
      else
        dsl_prog_free (q);
    }
  uint64_t tab0[DSL_MAXTAB] = { 0 };
  if (pc)
    memcpy (tab0, pc->tab, sizeof tab0);
  if (pc)
    search_fit_constants (pc, small, EVAL_ULP, 0, r, 3);
  if (pc)
    search_measure (pc, big, EVAL_ULP, 0, &cut);
  int moved = 0;
  for (int j = 0; pc && j < pc->ntab; j++)
    moved += pc->tab[j] != tab0[j];
  tap_diag ("e^x on [-1, 1], fitted on 512 points: quadratic %.1f ULP, 4 quadratic pieces %.1f ULP on 4096 points "
            "(%d of 12 entries moved)", plain.max, pc ? cut.max : NAN, moved);
  tap_ok (pc && moved >= 9 && cut.max < plain.max / 8,
          "pieces are fitted on the 512-point sample: 4 quadratics beat one by 8x or more (%d entries moved)", moved);
  dsl_prog_free (pc);
  dsl_prog_free (qp);
  eval_samples_free (small);
  eval_samples_free (big);

  /* Composition: with a donor, some children carry one of its constants.  */
  int grafts = 0, composed = 0;
  dsl_prog *donors[1] = { donor };
  for (int i = 0; i < 600; i++)
    {
      const char *what;
      dsl_prog *q = search_mutate_props (base, &pr, donors, 1, r, all, 40, &what);
      if (q && strcmp (what, "compose") == 0)
        {
          composed++;
          for (int k = 0; k < q->ninsn; k++)
            for (int s = 0; s < 3; s++)
              grafts += q->insn[k].a[s].is_const && (q->insn[k].a[s].bits == eval_f32_bits (0x1.2345p-3f)
                                                     || q->insn[k].a[s].bits == eval_f32_bits (0x1.6789p-1f));
        }
      dsl_prog_free (q);
    }
  int none = 0;
  for (int i = 0; i < 600; i++)
    {
      const char *what;
      dsl_prog *q = search_mutate_props (base, &pr, NULL, 0, r, all, 40, &what);
      none += q && strcmp (what, "compose") == 0;
      dsl_prog_free (q);
    }
  tap_ok (composed > 0 && grafts >= composed && none == 0,
          "compose: %d children graft a donor's values (%d of its constants), none without a donor", composed, grafts);
  dsl_prog_free (base);
  dsl_prog_free (quad);
  dsl_prog_free (donor);
}

int
main (void)
{
  an_rng r;
  an_rng_seed (&r, tap_seed (20261124));
  const eval_target *t = eval_target_lookup ("exp");
  test_operators (&r, t);
  test_fit (&r, t);
  test_table (&r);
  test_determinism (t);
  test_migration (t);
  test_probe ();
  test_macro (&r);
  test_pieces (&r);
  test_declared_seeds ();
  test_kernels ();
  return tap_done ();
}
