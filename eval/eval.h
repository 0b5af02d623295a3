/* eval -- targets, correctly rounded references, sample sets, ULP scoring,
   the exhaustive verifier and native compile-and-call.

   Every error figure is the ULP error of eval/ulp.h.  Functions return 0 on
   success and -1 with ERR filled on failure; nothing here prints or exits.  */
#ifndef AUTONUM_EVAL_H
#define AUTONUM_EVAL_H

#include <stddef.h>
#include <stdint.h>
#include <mpfr.h>

#include "dsl/dsl.h"
#include "eval/ulp.h"

#define EVAL_MAXARITY 3

/* An axis-aligned box: LO[j] <= x_j <= HI[j], values of the type (as doubles).  */
typedef struct {
  double lo[EVAL_MAXARITY], hi[EVAL_MAXARITY];
} eval_domain;

/* A target typed as an FPCore expression (eval/expr.c).  */
typedef struct eval_expr eval_expr;

/* A target function.  ENCLOSE sets LO <= f(X) <= HI with LO and HI of
   precision PREC (the caller initialises them) and returns 1 when f(X) is
   exactly LO == HI, else 0; it may use any MPFR/Arb computation but must be
   a true enclosure.  It returns -1 when no precision will do (PREC is past
   the target's cap: an exact value the enclosure cannot prove, a point
   outside the function's domain): callers report such a point, they never
   give it a value.  FAST, when not NULL, is a double-precision evaluation
   whose relative error is at most FAST_RELERR on the target's domains, or
   NaN where it cannot vouch for that (the verifier relies on it and falls
   back to ENCLOSE where it cannot decide).  */
typedef struct eval_target {
  const char *name;                          /* what resolves to it: a built-in name or an FPCore text */
  const char *label;                         /* for messages: the name, an FPCore's :name, or "expression" */
  const char *formula;                       /* e.g. "e^x", or an FPCore's body */
  int arity;
  int (*enclose) (const struct eval_target *t, mpfr_t lo, mpfr_t hi, const mpfr_t *x, mpfr_prec_t prec);
  double (*fast) (const struct eval_target *t, const double *x);
  double fast_relerr;
  /* Targets given as FPCore (built-in or typed by the user): the expression,
     else NULL.  Their natural domains are those of :pre, else derived with
     underflow allowed (the ULP error's subnormal floor scores it).  */
  const char *fpcore;
  eval_expr *expr;
  /* Arity-1 targets whose FAST is a glibc libm function: its name ("exp"),
     so that eval_fastref can use libmvec's vector version of it; else NULL.  */
  const char *vector;
  /* Natural domain per type (where the result is finite and not flushed to
     zero); has_domain[t] is 0 for types the target does not support yet.  */
  int has_domain[DSL_NTYPES];
  eval_domain domain[DSL_NTYPES];
  /* The domain used where none is given (search, eval, verify, export): the natural one, but
     for a two-argument target declaring POSITIVE_NORMAL the positive box [a, b]^2 whose every
     exact result is a normal number of the type, at most its largest (a and b the least and
     largest with f(a, a), f(b, b) so: right for an f increasing in each argument, as x * y): a relative error
     then means the same thing on every pair, where an underflowing product has error up to 1
     whatever computes it.  */
  int positive_normal;
  eval_domain dflt[DSL_NTYPES];
  /* Special inputs (arity-1 targets): always in the samples when in the domain.  */
  int nspecial;
  const double *special;
  /* Optional (may be NULL): the sign of f(X) - C (-1, 0 or 1), or 2 when
     unknown, for C a float32 value within a relative 2^-40 of f(X) (a power
     of two, or the float32 value nearest f(X)).  Where f(X) lies so close to
     such a C that FAST cannot tell on which side (exp near 0, tanh and erf
     near +-1, tanh x next to x, ...: up to 10^9 float32 inputs per target),
     the exhaustive verifier asks this instead of MPFR.  */
  int (*side) (const double *x, double c);
  /* 1: the softmax target (eval/softmax.c).  The program is the kernel k(r) of the
     softmax forms (ENCLOSE and FAST: e^r, the domain: the r they can give, |r| <=
     ln2/2); sample sets are whole vectors and every error is that of the softmax
     outputs, in which a constant factor of k cancels.  */
  int vectors;
  /* Optional: a program from the published forms (eval/seeds/), in type SEED_TYPE, that
     searches of this target in that type start from besides the built-in seeds; with
     SEED_BIND its input 0 is bound to SEED_VALUE first (a target eval_target_fix made
     from one that declares a seed).  NOTE: a line the commands print with the target's
     figures (what its error metric means there).  */
  const char *seed;
  dsl_type seed_type;
  int seed_bind;
  double seed_value;
  const char *note;
} eval_target;

int eval_target_count (void);
/* The target SPEC names: a built-in name, an FPCore text "(FPCore ...)",
   FILE:NAME (the FPCore of FILE whose :name or symbol is NAME) or FILE
   (its only FPCore).  Parsed targets live until the process ends; the
   same canonical text gives the same target.  NULL with ERR filled when
   SPEC is none of these or does not parse.  */
const eval_target *eval_target_resolve (const char *spec, dsl_error *err);
/* Derives T's domain for type Y by the rules of the target table (eval/targets.c):
   returns 1 with D set, or 0 when no input of Y is valid.  */
int eval_derive_domain (const eval_target *t, dsl_type y, eval_domain *d /* OUT */);
const eval_target *eval_target_at (int i);
/* The target called NAME, or NULL.  */
const eval_target *eval_target_lookup (const char *name);

/* T's fast reference (arity 1) over batches of inputs.  Where libmvec has
   the function (x86-64 glibc, AVX2: _ZGVdN4v_exp, ...) four values per
   call, else T->fast point by point.  RELERR is the relative error bound of
   the one in use.  glibc documents its vector functions as "tested (via
   reasonable random sampling) to pass 4-ulp maximum relative error" (the
   libmvec page of its wiki), i.e. 2^-50; EVAL_VECTOR_RELERR leaves a factor
   4, and tests/test_eval.c checks it against MPFR like T->fast_relerr.  */
#define EVAL_VECTOR_RELERR 0x1p-48
typedef struct {
  const eval_target *t;
  void *vec;                /* the libmvec function, NULL: T->fast */
  double relerr;
} eval_fastref;
void eval_fastref_init (eval_fastref *r, const eval_target *t);
/* Y[i] = f(X[i]) for i < N.  */
void eval_fastref_run (const eval_fastref *r, const double *x, double *y, size_t n);
/* 0: eval_fastref_init never picks the vector functions from then on (tests
   compare the two); 1 (the default): it does where it can.  */
void eval_fastref_vector (int on);
/* libmvec's 4-lane AVX2 version of the double libm function NAME ("erfc"),
   or NULL where libmvec, the function or AVX2 is missing (or after
   eval_fastref_vector (0)).  eval_mvec_run (F, X, Y, N): Y[i] = F(X[i]).  */
void *eval_mvec_lookup (const char *name);
void eval_mvec_run (void *f, const double *x, double *y, size_t n);

/* Checks that D lies inside the natural domain of T for type Y, that its
   bounds are values of Y, and LO <= HI.  */
int eval_domain_check (const eval_target *t, dsl_type y, const eval_domain *d, dsl_error *err);
/* Parses "LO:HI" (hex or decimal floats) for target T: the same interval on every
   argument of an arity>1 target, or "LO:HI,LO:HI" per argument, or NAME=LO:HI,...
   with T's argument names (eval_target_var: "v=0:1000,x=0.001:1000"), in any order.  */
int eval_domain_parse (const char *text, const eval_target *t, eval_domain *d /* OUT */, dsl_error *err);
/* D's finite bounds within Y's range rounded inward to values of Y (0.001 becomes the least
   float32 value above it); bounds past Y's largest value are left for eval_domain_check.  */
void eval_domain_round_in (const eval_target *t, dsl_type y, eval_domain *d);
/* The smallest value of Y >= V (UP), or the largest <= V, within +-max.  */
double eval_round_inward (dsl_type y, double v, int up);
/* T with its first argument fixed to the number VALUE (--order): a target of one argument
   fewer, interned like any FPCore target (eval_expr_fix).  T must be an FPCore target.  */
const eval_target *eval_target_fix (const eval_target *t, const char *value, dsl_error *err);
/* The name of T's argument J: an FPCore's, else x, y, z.  */
const char *eval_target_var (const eval_target *t, int j);

/* ---- FPCore expressions (eval/expr.c) ----
   FPCore 2.0 with one or two variables: numbers (decimal, hexadecimal,
   P/Q), + - * / fabs fma sqrt cbrt hypot exp exp2 expm1 log log2 log10
   log1p pow sin cos tan asin acos atan atan2 sinh cosh tanh asinh acosh
   atanh erf erfc tgamma lgamma fmin fmax copysign, besseli besselk (I_v(x), K_v(x),
   order first: extensions), PI E, let let*, if with
   < <= > >= == != and or not, :name and :pre.  */
#define EVAL_EXPR_RELERR 0x1p-40   /* the fast evaluation's relative bound where it answers */
/* Parses the FPCore of TEXT (with NAME non-NULL: the one whose :name or
   symbol is NAME; else the only one).  Errors name the construct and its
   line and column.  */
int eval_expr_parse (const char *text, const char *name, eval_expr **out /* OUT */, dsl_error *err);
void eval_expr_free (eval_expr *x);
const char *eval_expr_text (const eval_expr *x);   /* canonical: one line, single spaces */
const char *eval_expr_body (const eval_expr *x);
const char *eval_expr_name (const eval_expr *x);   /* :name, or "" */
int eval_expr_arity (const eval_expr *x);
const char *eval_expr_var (const eval_expr *x, int j);   /* the name of argument J */
/* *TEXT (malloc'd) is the FPCore of X with argument J fixed to the number VALUE (FPCore
   syntax, exact: "0.1" is 1/10): J leaves the arguments and the :pre, the body becomes
   (let ((NAME VALUE)) body), the :name "NAME (v = VALUE)".  VALUE outside J's :pre
   bounds, or not a number, is an error.  *V: VALUE's nearest double.  */
int eval_expr_fix (const eval_expr *x, int j, const char *value, char **text /* OUT */, double *v /* OUT */,
                   dsl_error *err);
/* An enclosure on Arb balls (eval_target's ENCLOSE contract).  */
int eval_expr_enclose (const eval_expr *x, mpfr_t lo, mpfr_t hi, const mpfr_t *in, mpfr_prec_t prec);
/* The double evaluation where its first-order error bound (times 4) is
   within EVAL_EXPR_RELERR of it, else NaN.  */
double eval_expr_fast (const eval_expr *x, const double *in);
/* eval_expr_fast at IN[i] into OUT[i], i < N, in batches (libmvec's
   functions where it has them); one-variable expressions.  0, or -1 (out of
   memory, or two variables).  */
int eval_expr_fast_batch (const eval_expr *x, const double *in, double *out, size_t n);
/* The double value and (*ERR) its first-order error bound, for tests.  */
double eval_expr_fast_bound (const eval_expr *x, const double *in, double *err /* OUT */);
/* Variable J's :pre bound from below (UPPER 0) or above as an interval
   [*LO, *HI] of doubles containing it, and whether it is strict; 0 when
   there is none.  */
int eval_expr_bound (const eval_expr *x, int j, int upper, double *lo, double *hi, int *strict);

/* The correctly rounded float32 value of T at X (round to nearest even,
   subnormals and overflow as in binary32), as a bit pattern.  */
uint32_t eval_ref_f32 (const eval_target *t, const float *x);
/* The same in type Y (its subnormals, overflow to infinity or saturation
   at its largest value, its canonical NaN) at X (values of Y), as its bit
   pattern; a NaN of Y where the reference does not resolve (ENCLOSE -1).  */
uint64_t eval_ref_bits (const eval_target *t, dsl_type y, const double *x);
/* The exact value of T at X as a double-double HI + LO (|error| < 2^-100 |f|);
   -1 (HI and LO NaN) where the reference does not resolve.  */
int eval_ref_dd (const eval_target *t, const double *x, double *hi /* OUT */, double *lo /* OUT */);

/* A sample set: N points of the domain with reference values, built once
   per (target, type, domain, n, seed).  IN[j] holds the N values of argument
   j in the type's storage: float, double, or the uint16_t / uint8_t bit
   patterns of the 16- and 8-bit types (eval_value reads them).  */
typedef struct {
  const eval_target *target;
  dsl_type type;
  eval_domain dom;
  uint64_t seed;
  size_t n;
  void *in[EVAL_MAXARITY];
  double *ref_hi, *ref_lo;
  int complete;             /* every value of the domain, once (in increasing key order) */
  /* Vector targets (softmax, eval/softmax.c): the points are the elements of NVEC
     vectors, vector v ending before element VEND[v]; IN[0] holds each element's
     kernel input r and P2 its scale 2^n (dsl/softmax_form.h), LOGIT the elements
     themselves (what the store keeps), REF the softmax outputs.  NVEC 0 otherwise.  */
  size_t nvec;
  size_t *vend;
  void *logit;
  double *p2;
} eval_samples;

/* The number of values of type Y in the box D (saturated at SIZE_MAX).  */
size_t eval_domain_count (dsl_type y, int arity, const eval_domain *d);
/* Domains with at most this many values are scored on every one of them
   wherever a search would sample (16- and 8-bit types): exhaustive scores
   cost less than a failed verification.  */
#define EVAL_ALL_POINTS ((size_t) 1 << 16)

/* The threads THREADS asks for (0: every core OpenMP offers; 1 without OpenMP).  */
int eval_threads (int threads);

/* Builds N points: the target's special points and the domain ends, then half
   of the rest stratified over binades (equal count per binade met by the
   domain, uniform bit pattern inside) and half uniform in value; where the
   domain holds N values or fewer (a 16- or 8-bit type), every one of them,
   in increasing order.  References are computed with MPFR on THREADS
   threads (0: all).  Deterministic in SEED.  */
int eval_samples_build (const eval_target *t, dsl_type y, const eval_domain *d, size_t n,
                        uint64_t seed, int threads, eval_samples **out /* OUT */, dsl_error *err);
/* A sample set from stored arrays (copied): N points IN[j][0..N-1] with
   their references, as a set built with SEED held them.  */
int eval_samples_from (const eval_target *t, dsl_type y, const eval_domain *d, uint64_t seed, size_t n,
                       const void *const *in, const double *ref_hi, const double *ref_lo,
                       eval_samples **out /* OUT */, dsl_error *err);
void eval_samples_free (eval_samples *s);
/* An empty set of N points (values and references uninitialised), for the builders.  */
eval_samples *eval_samples_alloc (const eval_target *t, dsl_type y, const eval_domain *d, size_t n, uint64_t seed,
                                  dsl_error *err);
/* Inputs to time programs on: N values of type Y per argument (in its
   storage), uniform in value over D (as arrays of typical data are;
   binade-stratified samples would make a tenth of them subnormal, which
   costs some processors a hundred cycles per operation and measures
   nothing about the program).  X[j] is malloc'd for each of the ARITY
   arguments.  Deterministic in SEED.  */
int eval_timing_points (dsl_type y, const eval_domain *d, int arity, size_t n, uint64_t seed, void **x /* OUT */,
                        dsl_error *err);
/* Appends K points (X[j][0..K-1] per argument, values of the type in the
   domain) with their references: the search adds the inputs where
   verification failed.  */
int eval_samples_add (eval_samples *s, const double *const *x, size_t k, dsl_error *err);

/* Values of type Y in increasing order as unsigned integers, "keys" (-0
   just below +0): the sign-magnitude pattern with the sign bit flipped for
   positives and every bit for negatives.  A binade is an aligned block of
   2^(p-1) keys.  NaNs lie beyond the infinities.  */
uint64_t eval_key_of (dsl_type y, double v);
double eval_value_of_key (dsl_type y, uint64_t k);

/* Value I of an array IN of type Y's storage, as a double (exact).  */
double eval_value (dsl_type y, const void *in, size_t i);
/* Stores V (a value of type Y) as element I of an array of Y's storage.  */
void eval_store_value (dsl_type y, void *out, size_t i, double v);
/* The bit pattern of element I (the low bits of the result).  */
uint64_t eval_value_bits (dsl_type y, const void *in, size_t i);
/* Bytes of one value of Y's storage.  */
size_t eval_type_size (dsl_type y);
/* V rounded to a value of type Y (nearest; through float32 for the narrow
   types, which is what a literal's text goes through too).  */
double eval_round_to (dsl_type y, double v);

/* Max and mean of each metric over some points (means over the points
   with a finite error; INFINITY where a point is NaN or a wrong infinity).  */
typedef struct {
  double max[EVAL_NMETRICS], mean[EVAL_NMETRICS];
} eval_errors;

typedef struct {
  size_t npoints;
  double max_ulp, mean_ulp;   /* = err.max[EVAL_ULP], err.mean[EVAL_ULP] */
  eval_errors err;
  size_t worst;        /* index of the point with the largest error in the metric scored */
  size_t exceeded;     /* points with error > bound in that metric */
} eval_score;

/* Every metric's error of V (a value of type Y) for the exact value HI + LO.  */
void eval_point_errors (dsl_type y, double v, double hi, double lo, double *e /* OUT: EVAL_NMETRICS */);
/* Scores P on S, every metric, the worst point and the points over BOUND in METRIC.  */
int eval_score_prog (const dsl_prog *p, const eval_samples *s, eval_metric metric, double bound,
                     eval_score *out /* OUT */, dsl_error *err);
/* The same for outputs Y[i] (values of the type) already computed at the points of S.  */
void eval_score_outputs (const eval_samples *s, const double *y, eval_metric metric, double bound,
                         eval_score *out /* OUT */);

/* ---- softmax (eval/softmax.c) ----
   The forms of dsl/softmax_form.h: the two-pass form (the search scores it,
   export writes it by default) and the classic three-pass one (maximum,
   sum, normalise).  */
typedef enum { EVAL_SOFTMAX_TWO_PASS, EVAL_SOFTMAX_THREE_PASS } eval_softmax_form;
/* The verification vectors: EVAL_SOFTMAX_VERIFY_N elements built with this seed.  */
#define EVAL_SOFTMAX_SEED 0x736f66746d6178u
#define EVAL_SOFTMAX_VERIFY_N ((size_t) 1 << 19)
/* The lengths of the vectors of a set of N >= 2 elements built with SEED: *NVEC
   vectors, vector v ending before element (*END)[v] (malloc'd).  */
int eval_softmax_lengths (size_t n, uint64_t seed, size_t *nvec /* OUT */, size_t **end /* OUT */, dsl_error *err);
/* A sample set of vectors of N elements in all (eval_samples_build calls it for a
   vector target): lengths from 2 to 100003, logits of several families (scales,
   a large offset, a dominant element, ties, very negative tails, the type's
   whole range, spreads around underflow, a dominant element with the others
   at reduced arguments spread over the kernel's domain), deterministic in
   SEED; references with MPFR.  */
int eval_softmax_build (const eval_target *t, dsl_type y, const eval_domain *d, size_t n, uint64_t seed, int threads,
                        eval_samples **out /* OUT */, dsl_error *err);
/* The same from stored logits and references (eval_samples_from calls it).  */
int eval_softmax_from (const eval_target *t, dsl_type y, const eval_domain *d, uint64_t seed, size_t n,
                       const void *logit, const double *ref_hi, const double *ref_lo, eval_samples **out /* OUT */,
                       dsl_error *err);
/* The kernel inputs R (Y's storage) and scales P2 of the elements X (Y's storage) in FORM.  */
void eval_softmax_inputs (dsl_type y, eval_softmax_form form, size_t nvec, const size_t *end, const void *x, void *r,
                          double *p2);
/* The outputs OUT of FORM from the kernel's outputs K (as the forms use them: values
   of Y, or a float64 result unrounded; OUT may be K), rounded to Y as the exported
   function rounds them, or (ROUND 0) exact.  */
void eval_softmax_outputs (dsl_type y, eval_softmax_form form, size_t nvec, const size_t *end, const double *p2,
                           const double *k, double *out, int round);
/* The two-pass softmax outputs of S's vectors into Y (S's storage), the kernel run by
   C (a context for it) on S->in[0] (dsl_interp_run_f64: a float64 result unrounded).  */
void eval_softmax_run (const eval_samples *s, dsl_interp *c, void *y);
/* The vector of S that holds element I.  */
size_t eval_softmax_vector_of (const eval_samples *s, size_t i);
/* The verification vectors of T for Y, built on first use and kept.  */
int eval_softmax_vectors (const eval_target *t, dsl_type y, int threads, const eval_samples **out /* OUT */,
                          dsl_error *err);
/* A kernel's signed relative error e = k / e^r - 1 over its domain.  */
typedef struct {
  double emin, emax;        /* least and largest, widened by the double reference's bound */
  double rmin, rmax;        /* where the least and the largest are */
  double nrmin, nrmax;      /* the same over r <= 0 */
} eval_softmax_range;
/* The range of the error of kernel P of softmax target T on every value of its type in D.  */
int eval_softmax_kernel_range (const dsl_prog *p, const eval_target *t, const eval_domain *d, int threads,
                               eval_softmax_range *out /* OUT */, dsl_error *err);
/* The worst vector built from the kernel's extremes RG, a search for the vector the
   stored ones miss: an output's error is the kernel's relative error at its r over a
   weighted mean of it, largest where one element sits where e is largest and the
   others where it is least (or the reverse), the lone output's significand near 2.
   The vectors: {r_b, r_a x m} (two-pass; r_a, r_b the extremes over the domain) or
   {r_b, 0, r_a x m} (three-pass: the extremes over r <= 0, so that the maximum is 0),
   each r in either role, for m = 1 .. 4096 and 2^k (1 + j/4) up to 2^20, scored in
   FORM against closed-form MPFR references.  *WORST the largest ULP error, in the
   vector with the lone element *LONE and *M times the repeated *REP.  */
#define EVAL_SOFTMAX_ADVERSARY_M (4096 + 32)     /* the number of m */
int eval_softmax_adversary (const dsl_prog *p, const eval_target *t, const eval_domain *d, eval_softmax_form form,
                            const eval_softmax_range *rg, double *worst /* OUT */, size_t *m /* OUT */,
                            double *lone /* OUT */, double *rep /* OUT */, dsl_error *err);
/* An upper bound of the ULP error of every output of the two-pass form in type Y, for
   every vector of at most MAXLEN elements, from a kernel whose relative error lies in
   [EMIN, EMAX] on its whole domain (dsl/softmax_form.h: the errors of the reduction, the
   sum and the last rounding); INFINITY when the kernel is not positive there.  */
double eval_softmax_bound (dsl_type y, double emin, double emax, double maxlen);
/* Y[i]: P's softmax outputs in FORM on the vectors of S.  */
int eval_softmax_score (const dsl_prog *p, const eval_samples *s, eval_softmax_form form, double *y, dsl_error *err);

/* How a verification's figure was obtained.  */
typedef enum {
  EVAL_EXHAUSTIVE,          /* every input of the domain ("verified") */
  EVAL_SEARCHED,            /* float64, two float32 arguments: samples, then a search for the worst
                               input ("sampled + searched") */
  EVAL_VECTORS              /* softmax: every element of the EVAL_SOFTMAX_VERIFY_N-element
                               verification vectors */
} eval_method;

/* How eval_verify checks type Y with ARITY arguments: EVAL_EXHAUSTIVE for
   float32 of one argument, the 16- and 8-bit types of one argument, and
   pairs of 16- or 8-bit values; EVAL_SEARCHED for float64 and pairs of
   float32 values (2^64).  */
eval_method eval_verify_method (const eval_target *t, dsl_type y);

typedef struct {
  eval_method method;
  uint64_t checked;         /* inputs evaluated: every value of the type in the domain when COMPLETE */
  int complete;             /* 1: every input was checked (always, unless stopped early) */
  uint64_t exceeded;        /* inputs with error > bound */
  uint64_t slow_path;       /* inputs whose error the fast reference could not decide */
  uint64_t unresolved;      /* inputs where the reference itself did not resolve (counted as
                               exceeded, with an infinite error): the program is not verified */
  int native;               /* 1: the program ran as its exported C, lowered for the domain and
                               compiled; on every input it gave the bits of the same C with every
                               op in its total form, and on 1 input in 16 those of the interpreter
                               (pairs: on 1 row, an x with every y, in 16) */
  double max_ulp;           /* the worst input's error, recomputed with MPFR (to 1e-12 ULP); the
                               true maximum is at most 2^-24 ULP above it (eval/verify.c; pairs of
                               16-bit values: it is the true maximum, see verify_pairs) */
  eval_metric metric;       /* the metric the bound is in */
  double max_err;           /* the worst input's error in METRIC (= max_ulp for ULP) */
  eval_errors err;          /* max and mean over the inputs checked: for float32 of the bound's
                               metric and of ULPs only (NAN for the third; the means are
                               estimates within 2^-25 ULP), for the other types of every metric
                               (pairs of 16-bit values: each max recomputed with MPFR at its
                               worst pair, the means from the double reference where it decided) */
  uint64_t worst[EVAL_MAXARITY];   /* bit patterns of the worst input (in METRIC); softmax: of the
                                      worst element */
  size_t worst_element;     /* softmax: its index in the verification vectors */
  double seconds;
} eval_verify_result;

/* Optional progress callback: fraction done in [0,1].  Called from one thread.  */
typedef void (*eval_progress_fn) (double done, void *arg);

/* Evaluates P on every value of the type in D and compares with the
   reference in METRIC against BOUND: float32 (one argument) with a fast
   double reference and MPFR where it cannot decide, OpenMP-parallel on
   THREADS threads (0: all); 16- and 8-bit types of one argument, and
   pairs of 8-bit values, against MPFR on every input; pairs of 16-bit
   values (up to 2^32) in rows, OpenMP-parallel, with the fast double
   reference where it settles every figure (mul's is exact) and MPFR
   elsewhere (slow for targets without one: about 1 us a pair).  float64
   and pairs of float32 values cannot be enumerated: P is scored on a
   stratified sample, then a local search over the input bits around the
   worst points hunts for worse ones (METHOD says EVAL_SEARCHED).  */
int eval_verify (const dsl_prog *p, const eval_target *t, const eval_domain *d, eval_metric metric, double bound,
                 int threads, eval_progress_fn progress, void *arg,
                 eval_verify_result *out /* OUT */, dsl_error *err);
/* The same with STOP_ABOVE nonzero: a refutation.  The domain is covered in
   16 interleaved passes, and the first pass that finds an input above BOUND
   ends the check: then COMPLETE is 0, CHECKED counts the inputs covered,
   and MAX_ULP and WORST are the largest error among them (a lower bound of
   the program's max).  Which input is reported does not depend on THREADS.  */
int eval_verify_until (const dsl_prog *p, const eval_target *t, const eval_domain *d, eval_metric metric, double bound,
                       int threads, int stop_above, eval_progress_fn progress, void *arg,
                       eval_verify_result *out /* OUT */, dsl_error *err);

/* Softmax (T->vectors): P's outputs in FORM on every element of the
   verification vectors (eval_softmax_vectors) against MPFR's softmax; with
   NATIVE the exported function (dsl_emit_softmax_c) is compiled and must
   give the engine's bits on every vector (else an error).  eval_verify does
   this in the two-pass form without NATIVE.  */
int eval_verify_softmax (const dsl_prog *p, const eval_target *t, eval_softmax_form form, eval_metric metric,
                         double bound, int threads, int native, eval_verify_result *out /* OUT */, dsl_error *err);
/* How eval_verify runs the program: 0 (the default) as compiled C from
   2^24 inputs on when the C compiler works, else interpreted; 1 always
   compiled; -1 always interpreted.  For tests and comparisons.  */
void eval_verify_native (int mode);

/* Native compile-and-call: compiles C source SRC (defining NAME with the
   float32 signature of arity ARITY) with the C compiler the project was
   configured with, dlopen()s it and calls it through libffi.  */
typedef struct eval_native eval_native;
int eval_native_compile (const char *src, const char *name, dsl_type y, int arity,
                         const char *cflags, eval_native **out /* OUT */, dsl_error *err);
/* The same with compiler CC (a command, which may carry flags) instead of
   the one the project was configured with.  */
int eval_native_compile_with (const char *cc, const char *src, const char *name, dsl_type y, int arity,
                              const char *cflags, eval_native **out /* OUT */, dsl_error *err);
/* Opens function NAME of shared library LIB (a path or soname) with the
   type's signature of arity ARITY.  */
int eval_native_open (const char *lib, const char *name, dsl_type y, int arity,
                      eval_native **out /* OUT */, dsl_error *err);
/* Calls the function once per point, through libffi.  */
void eval_native_run (eval_native *f, size_t n, const void *const *in, void *out);
/* The address of symbol NAME in F's library, or NULL: the function itself
   (to call it without libffi), or another function compiled with it, such
   as an array loop.  The caller casts it to the right type; it stays valid
   until eval_native_free (F).  */
void *eval_native_symbol (const eval_native *f, const char *name);
void eval_native_free (eval_native *f);
/* P's exported C (dsl_emit_c, lowered for the domain D; NULL: total
   forms) compiled with CFLAGS: the program as function EVAL_NATIVE_CALL
   (the eval_native, for libffi), LOOP, its array entry point (OUT[i] =
   P(IN[0][i], ...) for i < N), and when TOTAL is not NULL, the same loop
   over P emitted with the total form of every op (the interpreter's
   meaning), for comparing the lowering with.  Float32 programs of 1 or 2
   inputs.  */
#define EVAL_NATIVE_CALL "autonum_call"
#define EVAL_NATIVE_LOOP "autonum_loop"
#define EVAL_NATIVE_TOTAL "autonum_loop_total"
typedef void (*eval_loop_fn) (size_t n, const void *const *in, void *out);
int eval_native_program (const dsl_prog *p, const eval_domain *d, const char *cflags, eval_native **out /* OUT */,
                         eval_loop_fn *loop /* OUT */, eval_loop_fn *total /* OUT */, dsl_error *err);

/* Measured speed of programs as exported C: every program of PS (float32,
   all of one arity, 1 or 2) lowered for D and compiled in one unit with
   the flags autonum bench uses; NS[k] = ns per element of program k's
   array entry point on the NPOINTS points IN[j][i], best of REPS timings
   interleaved across the programs.  */
int eval_native_time (const dsl_prog *const *ps, int n, const eval_domain *d, const void *const *in, size_t npoints,
                      int reps, double *ns /* OUT */, dsl_error *err);

#endif
