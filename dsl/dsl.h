/* dsl -- straight-line programs: op table, parser, printer, batch interpreter, C emitter.

   A program is an SSA list of instructions over typed values.  Values are
   floats of the program's compute type ("F") or unsigned integers of the same
   width ("I", two's complement wrap-around).  Value 0 .. nin-1 are the inputs,
   value nin + k is the result of instruction k.  Every operand is either a
   value reference or a literal of the kind the operand slot expects.

   The text form (one line each):
       # comment                        (a first line "# autonum 1 target=T type=Y
                                         domain=LO:HI" is read as metadata)
       in NAME [NAME ...]               (inputs, in order; one or more "in" lines)
       NAME = OP ARG [ARG ...]          (SSA: every NAME is defined once)
       out NAME
   The printer names the results v1, v2, ... in order and writes float literals
   as exact hex floats, so that parse(print(p)) == p for every program.

   Nothing here prints, exits, or knows about MPFR, SQLite or evolution.  */
#ifndef AUTONUM_DSL_H
#define AUTONUM_DSL_H

#include <stddef.h>
#include <stdint.h>

/* Floating-point types: what a program's inputs and result are.  */
typedef enum {
  DSL_FLOAT32,
  DSL_FLOAT64,
  DSL_FLOAT16,
  DSL_BFLOAT16,
  DSL_FP8E4M3,
  DSL_FP8E5M2,
  DSL_NTYPES
} dsl_type;

/* One row per type: everything parsing, sampling, errors, verification and
   export need to know about it.  A program computes in float32 or float64
   (COMPUTE); a 16- or 8-bit type's inputs are decoded exactly into float32
   and its result rounded once into the type (dsl/convert.h).  */
typedef struct {
  const char *name;         /* "bfloat16" */
  int bits;                 /* storage width: 64, 32, 16 or 8 */
  int p;                    /* significand bits, the leading one included */
  int emin, emax;           /* 2^emin the smallest normal, the largest finite below 2^(emax+1) */
  int submin;               /* 2^submin the smallest subnormal (emin - p + 1) */
  double max;               /* the largest finite value */
  int has_inf;              /* infinities exist (fp8e4m3: no) */
  int saturates;            /* rounding into the type saturates at +-max instead of overflowing */
  int compute;              /* the type programs compute in: DSL_FLOAT32 or DSL_FLOAT64 */
  const char *c_type;       /* a value in exported C: "float", "double", "uint16_t", "uint8_t" */
  const char *conv;         /* the dsl/convert.h prefix ("bf16": an_bf16_encode ...), or NULL */
  /* 16- and 8-bit types (NULL for float32 and float64), dsl/convert.h: */
  uint32_t (*encode) (float a);   /* A rounded to the type (nearest, ties to even), as its bit pattern */
  float (*decode) (uint32_t b);   /* the value of bit pattern B, exactly */
} dsl_typeinfo;

const dsl_typeinfo *dsl_type_info (dsl_type t);
const char *dsl_type_name (dsl_type t);
/* Returns 0 and sets *t for a known name ("float32", "f32", "binary32", ...), else -1.  */
int dsl_type_parse (const char *name, dsl_type *t /* OUT */);
/* Storage width in bits of one value of the type.  */
int dsl_type_bits (dsl_type t);
/* Nonzero when the interpreter and emitter support the type (all do).  */
int dsl_type_supported (dsl_type t);
/* 1 when type T's programs compute in float64, 0 for float32.  */
int dsl_compute_wide (dsl_type t);
/* One paragraph saying how type T's values are encoded (its bit fields,
   bias, infinities, NaN, saturation), as exported C states it.  */
void dsl_type_describe (dsl_type t, char *buf, size_t size);
/* Whether a program of type T may return a value of width W (1: float64):
   its compute width, and for every type that computes in float32 also
   float64, which is rounded once into the type (float32 and the 16- and
   8-bit types alike).  A consumer that uses the result unrounded (the
   softmax forms, dsl_interp_run_f64) gets the double itself.  */
int dsl_out_width_ok (dsl_type t, int w);
/* The value of bit pattern B of type T, exactly.  */
double dsl_value_of_bits (dsl_type t, uint64_t b);
/* The bit pattern of element I of an array IN of type T's storage (float, double,
   uint16_t or uint8_t).  */
uint64_t dsl_bits_at (dsl_type t, const void *in, size_t i);
/* The bit pattern of V, a value of type T (others are rounded to nearest,
   for the 16- and 8-bit types through float32).  */
uint64_t dsl_bits_of_value (dsl_type t, double v);

/* Float32 values in increasing order as unsigned integers, their "keys":
   -0 just below +0, the negative floats below, NaNs beyond the infinities.
   An interval of floats is an interval of keys, a binade an aligned block
   of 2^23 of them.  Branch-free, so that loops over them vectorise.  */
static inline uint32_t
dsl_key_of_bits (uint32_t b)
{
  uint32_t neg = 0u - (b >> 31);
  return b ^ (neg | 0x80000000u);
}

/* The inverse: the bit pattern of key K.  */
static inline uint32_t
dsl_bits_of_key (uint32_t k)
{
  uint32_t pos = 0u - (k >> 31);   /* all ones for k >= 2^31: a positive float */
  return k ^ (0x80000000u | (~pos & 0x7fffffffu));
}

/* The same for float64 values.  */
static inline uint64_t
dsl_key_of_bits64 (uint64_t b)
{
  uint64_t neg = 0u - (b >> 63);
  return b ^ (neg | UINT64_C (0x8000000000000000));
}

static inline uint64_t
dsl_bits_of_key64 (uint64_t k)
{
  uint64_t pos = 0u - (k >> 63);
  return k ^ (UINT64_C (0x8000000000000000) | (~pos & UINT64_C (0x7fffffffffffffff)));
}

/* Value kinds.  */
typedef enum { DSL_KF = 0, DSL_KI = 1 } dsl_kind;

/* Ops.  The order is the order of rows in the op table (dsl/ops.c).  */
typedef enum {
  DSL_ADD, DSL_SUB, DSL_MUL, DSL_DIV, DSL_FMA, DSL_NEG, DSL_ABS, DSL_MIN, DSL_MAX,
  DSL_SQRT, DSL_RINT, DSL_FLOOR,
  DSL_ASINT, DSL_ASFLOAT, DSL_TOINT, DSL_TOFLOAT,
  DSL_IADD, DSL_ISUB, DSL_SHL, DSL_SHR, DSL_AND, DSL_OR, DSL_XOR, DSL_LDEXP,
  DSL_LT, DSL_LE, DSL_SELECT,
  DSL_EXP, DSL_LOG, DSL_LOG1P, DSL_ERF, DSL_LGAMMA,
  DSL_TOF64, DSL_TOF32, DSL_TOBF16, DSL_TOF16, DSL_TOE4M3, DSL_TOE5M2,
  DSL_LUT,
  DSL_NOPS
} dsl_opcode;

/* Values are 32 or 64 bits wide: floats of float32 or float64, integers of
   the same width.  How an op's operand and result widths relate:  */
typedef enum {
  DSL_W_SAME,     /* every operand and the result have one width W (but the slots in ANYW) */
  DSL_W_WIDEN,    /* a 32-bit float in, a 64-bit float out */
  DSL_W_NARROW,   /* a 64-bit float in, a 32-bit float out */
  DSL_W_32,       /* a 32-bit float in and out */
  DSL_W_TABLE     /* integer operands of one width W, a float of the table's width out (lut) */
} dsl_wrule;


#define DSL_MAXARGS 3

/* Op flags.  */
#define DSL_COMMUTATIVE 1u   /* first two operands may be swapped */
#define DSL_LIBM        2u   /* calls the platform libm */
#define DSL_MULTIPLY    4u   /* a multiplier (excluded by multiply-free searches) */
#define DSL_CONVERT     8u   /* converts between float types (searches use them when asked to) */

typedef struct {
  const char *name;
  int arity;
  dsl_kind arg[DSL_MAXARGS];
  dsl_kind result;
  double cost;            /* weight of the op's total form (dsl/lower.c has the lowered ones) */
  unsigned flags;
  const char *meaning;    /* one line: the op's total definition */
  dsl_wrule wrule;
  unsigned anyw;          /* bit s: slot s is an integer of either width, read as a signed value */
} dsl_opinfo;

const dsl_opinfo *dsl_op (dsl_opcode op);
/* Returns the opcode for NAME, or -1.  */
int dsl_op_lookup (const char *name);

/* One operand: a reference to value REF, or (is_const) a literal whose bit
   pattern, in the width of its slot (32 bits: the low half), is BITS.  */
typedef struct {
  uint8_t is_const;
  uint32_t ref;
  uint64_t bits;
} dsl_operand;

typedef struct {
  uint8_t op;                    /* dsl_opcode */
  dsl_operand a[DSL_MAXARGS];    /* unused slots are zero */
} dsl_insn;

#define DSL_MAXNAME 32
/* A program's constant table (the lut op) has at most this many entries.  */
#define DSL_MAXTAB 64
/* A target's name: a built-in's, or an FPCore text on one line.  */
#define DSL_MAXTARGET 2048
/* Inputs whose intervals a program's header can state.  */
#define DSL_MAXDOMAIN 3

typedef struct {
  dsl_type type;
  int nin;                       /* number of inputs, >= 1 */
  char (*inname)[DSL_MAXNAME];   /* nin input names */
  int ninsn;
  int cap;
  dsl_insn *insn;
  uint32_t out;                  /* the value returned */
  /* The constant table read by lut: NTAB entries (0: none) of width TABW
     (1: float64), each a bit pattern, fitted like any other literal.  */
  int ntab;
  int tabw;
  uint64_t tab[DSL_MAXTAB];
  /* Metadata read from the "# autonum 1 ..." header, empty when absent.  */
  char target[DSL_MAXTARGET];
  /* The domain: HAS_DOMAIN intervals (0: none; 1: the same interval for every input;
     else one per input, "domain=LO:HI,LO:HI"), at most DSL_MAXDOMAIN.  */
  int has_domain;
  double domain_lo[DSL_MAXDOMAIN], domain_hi[DSL_MAXDOMAIN];
} dsl_prog;

/* A new program of type T with NIN inputs named x (or x0, x1, ...), no
   instructions, and out set to input 0.  Returns NULL if memory runs out.  */
dsl_prog *dsl_prog_new (dsl_type t, int nin);
void dsl_prog_free (dsl_prog *p);
/* Sets P's header domain from N intervals (one when they are all the same).  */
void dsl_prog_set_domain (dsl_prog *p, int n, const double *lo, const double *hi);
/* A deep copy, or NULL if memory runs out.  */
dsl_prog *dsl_prog_clone (const dsl_prog *p);
/* P with input J replaced by the constant V (a value of P's type, as a double): a program of
   one input fewer, whose uses of J read the literal.  NULL where memory runs out, P has one
   input, or P returns input J itself.  */
dsl_prog *dsl_prog_bind_input (const dsl_prog *p, int j, double v);
/* Appends instruction I (not checked; see dsl_prog_check).  Returns the new
   value's index, or -1 if memory runs out (P is unchanged then).  */
int dsl_prog_append (dsl_prog *p, const dsl_insn *i);
/* Kind of value V.  */
dsl_kind dsl_value_kind (const dsl_prog *p, uint32_t v);

/* Structural equality: type, inputs (names included), instructions, constants
   (by bit pattern) and out.  Metadata is not compared.  */
int dsl_prog_equal (const dsl_prog *a, const dsl_prog *b);

/* Errors: a message and, for text, where it happened (1-based; 0 if none).  */
typedef struct {
  int line, col;
  char msg[256];
} dsl_error;

/* Fills ERR (may be NULL) with a printf-style message and no position;
   returns -1.  Every module reports its errors through it.  */
int dsl_error_set (dsl_error *err, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

/* Checks references (defined before use), operand kinds, opcodes and out.
   Returns 0 or -1 with ERR filled.  */
int dsl_prog_check (const dsl_prog *p, dsl_error *err /* OUT */);

/* The widths of P's values: WIDE[v] = 1 for a 64-bit value, 0 for 32 bits
   (nin + ninsn entries; the inputs have the compute type's width).  An
   instruction's width W is that of its operands in slots outside ANYW that
   refer to values (all of them must agree), or for literals only the
   program's compute width (or the one a conversion takes); a W_SAME op's
   literals and result have width W, a conversion's result its target
   width.  Returns 0, or -1 with ERR filled when widths disagree.  */
int dsl_prog_widths (const dsl_prog *p, uint8_t *wide /* OUT */, dsl_error *err /* OUT */);
/* Instruction K's operand width W and result width (1: 64 bits) from the
   widths WIDE of the values before it.  Returns 0, or -1 with ERR filled
   where they disagree.  */
int dsl_insn_width (const dsl_prog *p, int k, const uint8_t *wide, int *w /* OUT */, int *result /* OUT */,
                    dsl_error *err /* OUT */);


/* Parses TEXT as a program of type T (a "type=" header in the text overrides
   T when HEADER_TYPE is nonzero).  Returns 0 and a new program in *OUT, which
   the caller frees, or -1 with ERR filled and *OUT NULL.  */
int dsl_parse (const char *text, dsl_type t, int header_type, dsl_prog **out /* OUT */,
               dsl_error *err /* OUT */);

/* Prints P; the caller frees the result.  NULL if memory runs out.  With
   HEADER nonzero, the first line is the "# autonum 1 ..." metadata line.  */
char *dsl_print (const dsl_prog *p, int header);

/* P as text with, after every value, the range the analysis proves for it
   on the box LO, HI (dsl_range_analyze) and the form the emitter writes it
   in (dsl_lower), as comments.  NULL if memory runs out or the analysis
   fails.  */
char *dsl_print_lowered (const dsl_prog *p, const double *lo, const double *hi);

/* Literal formatting, shared by the printer and the C emitter: a float32 bit
   pattern as an exact hex float ("0x1.715476p+0", "-0x0p+0", "inf", "nan(0x7fc00000)").  */
void dsl_format_f32 (uint32_t bits, char *buf, size_t size);
void dsl_format_f64 (uint64_t bits, char *buf, size_t size);
/* A literal of kind K and width W (1: 64 bits) as the printer writes it.  */
void dsl_format_literal (uint64_t bits, dsl_kind k, int w, char *buf, size_t size);

/* The batch interpreter.  Evaluates P on N points: IN[j] points to N values of
   input j, OUT receives N values, all as the type's storage (float for
   float32).  Column-at-a-time, in the arithmetic of the emitted C.  A scratch
   context may be reused across calls for the same program by one thread.
   Returns 0, or -1 if memory runs out.  */
typedef struct dsl_interp dsl_interp;
dsl_interp *dsl_interp_new (const dsl_prog *p);
void dsl_interp_free (dsl_interp *c);
void dsl_interp_run (dsl_interp *c, size_t n, const void *const *in, void *out);
/* The same with the results as doubles before they are stored into the
   type: a float64 result (of a float32-computing type too) unrounded, a
   float32 one rounded into the type as dsl_interp_run stores it.  */
void dsl_interp_run_f64 (dsl_interp *c, size_t n, const void *const *in, double *out);
/* Takes the literals of P, which must have the structure (ops, references,
   which operands are literals) of the program C was made for: constant
   fitting changes only literals and must not pay for a new context each time.  */
void dsl_interp_reload (dsl_interp *c, const dsl_prog *p);
int dsl_run (const dsl_prog *p, size_t n, const void *const *in, void *out);

/* The entry lut (A, B) of P reads: (A + B) mod 2^32 read as unsigned, modulo
   P's table size (A and B the integers' bits; 0 when P has no table).  */
static inline unsigned
dsl_lut_index (const dsl_prog *p, uint64_t a, uint64_t b)
{
  return p->ntab ? (uint32_t) (a + b) % (uint32_t) p->ntab : 0;
}
/* The width of what lut returns (1: float64): the table's, or with none the
   compute type's.  */
static inline int
dsl_tab_wide (const dsl_prog *p)
{
  return p->ntab ? p->tabw : dsl_compute_wide (p->type);
}
/* The bits lut (A, B) returns: that entry, or +0 when P has no table.  */
static inline uint64_t
dsl_lut (const dsl_prog *p, uint64_t a, uint64_t b)
{
  return p->ntab ? p->tab[dsl_lut_index (p, a, b)] : 0;
}

/* Scalar semantics of one float32 op on bit patterns (the definition the
   interpreter vectorises; used by tests).  */
uint32_t dsl_apply_f32 (dsl_opcode op, const uint32_t *args);
/* The scalar meaning of OP in width W (1: 64 bits; for a conversion, its
   operand's width) on bit patterns ARGS, which for the slots of the op's
   ANYW are already read in width W (dsl_int_to_width); the result's bits
   (lut, which reads its program's table, gives 0: dsl_lut has its meaning).  */
uint64_t dsl_apply (dsl_opcode op, int w, const uint64_t *args);
/* The values of P at one point, op by op with the scalar meanings: VAL
   holds the inputs' bits in the compute width (VAL[0 .. nin-1]), and
   receives instruction k's bits as VAL[nin + k] for k <= UPTO.  WIDE:
   dsl_prog_widths.  Returns 0, or -1 where widths disagree.  */
int dsl_eval_point (const dsl_prog *p, const uint8_t *wide, int upto, uint64_t *val /* IN/OUT */);
/* An integer V of width FROM read in width TO (1: 64 bits) as a signed
   value: sign-extended, or saturated to the narrower range.  */
uint64_t dsl_int_to_width (uint64_t v, int from, int to);

/* The C emitter.  Writes a self-contained C99 translation unit defining
   "float NAME (float x, ...)" and the array entry point "void NAME_array
   (const float *x, ..., float *y, size_t n)" with COMMENT (may be NULL;
   lines are prefixed with " * ") placed in the file's header comment.
   With LO and HI (input j in [LO[j], HI[j]]), every op is lowered to the
   cheapest form the range analysis allows on that box; with NULL, to its
   total form (the interpreter's meaning for every input).  Returns a
   malloc'd string, or NULL if memory runs out.  */
char *dsl_emit_c (const dsl_prog *p, const double *lo, const double *hi, const char *name, const char *comment);
/* A softmax function (dsl/softmax_form.h) around kernel P: the file of
   dsl_emit_c for P under the name NAME_exp, then "void NAME (const T *x, T *y,
   size_t n)" (T the type's storage) in the two-pass form, or with THREE_PASS
   the three-pass one.  NULL if memory runs out.  */
char *dsl_emit_softmax_c (const dsl_prog *p, const double *lo, const double *hi, const char *name,
                          const char *comment, int three_pass);
/* Nonzero when S cannot name a value or the function in emitted C (a C
   keyword, a name the emitted file uses, or FNAME, the function's name).  */
int dsl_c_name_clashes (const char *s, const char *fname);

/* Range analysis (dsl/range.c): what every value of P can be when input j
   ranges over the float32 values of [LO[j], HI[j]].  Interval arithmetic,
   with the box split in two (breadth first, along the input with more
   values) wherever a discrete op (rint, floor, toint, a comparison) has
   several outcomes, for at most BUDGET evaluations of the program; the
   result is the union over the pieces, and sound for any budget.  */
#define DSL_RANGE_NAN 1u        /* float: may be NaN */
#define DSL_RANGE_NEGZERO 2u    /* float: may be -0 (when 0 is in [lo, hi]) */
#define DSL_RANGE_POSZERO 4u    /* float: may be +0 (when 0 is in [lo, hi]) */
#define DSL_RANGE_INTEGRAL 8u   /* float: every value that is not NaN is an integer or infinite */
#define DSL_RANGE_BUDGET 2048   /* what the emitter and the cost model use */
typedef struct {
  double lo, hi;                /* float: its values but NaN lie in [lo, hi] (lo > hi: none) */
  long long ilo, ihi;           /* integer: its signed (two's complement) reading lies in [ilo, ihi] */
  unsigned flags;
} dsl_range;
/* Fills OUT[0 .. nin+ninsn-1], one range per value.  Returns 0, or -1 with
   ERR filled (a bound that is not a value of the type, LO > HI, no memory).  */
int dsl_range_analyze (const dsl_prog *p, const double *lo, const double *hi, int budget,
                       dsl_range *out /* OUT */, dsl_error *err);

/* Lowering (dsl/lower.c): the C form the emitter writes for each op, the
   cheapest that gives the op's bits wherever the range analysis proved its
   condition, and its weight in the cost model.  */
typedef enum {
  DSL_LW_ADD, DSL_LW_SUB, DSL_LW_MUL, DSL_LW_MUL_NOFUSE, DSL_LW_DIV, DSL_LW_FMA,
  DSL_LW_NEG, DSL_LW_NEG_BITS, DSL_LW_ABS, DSL_LW_ABS_BITS,
  DSL_LW_MIN, DSL_LW_MIN_TOTAL, DSL_LW_MAX, DSL_LW_MAX_TOTAL, DSL_LW_SQRT,
  DSL_LW_RINT_ID, DSL_LW_RINT_MAGIC, DSL_LW_RINT_MAGIC_SIGN, DSL_LW_RINT_TOTAL,
  DSL_LW_FLOOR_ID, DSL_LW_FLOOR_MAGIC, DSL_LW_FLOOR_TOTAL,
  DSL_LW_ASINT, DSL_LW_ASINT_TOTAL, DSL_LW_ASFLOAT,
  DSL_LW_TOINT_MAGIC, DSL_LW_TOINT_RINT, DSL_LW_TOINT_CVT, DSL_LW_TOINT_TOTAL, DSL_LW_TOFLOAT,
  DSL_LW_IADD, DSL_LW_ISUB, DSL_LW_SHL, DSL_LW_SHR, DSL_LW_SHR_SIGNED, DSL_LW_AND, DSL_LW_OR, DSL_LW_XOR,
  DSL_LW_LDEXP_BITS, DSL_LW_LDEXP_MUL1, DSL_LW_LDEXP_MUL2, DSL_LW_LDEXP_SUB, DSL_LW_LDEXP_DOUBLE, DSL_LW_LDEXP_TOTAL,
  DSL_LW_LT, DSL_LW_LE, DSL_LW_SELECT, DSL_LW_LIBM, DSL_LW_TOF64, DSL_LW_TOF32, DSL_LW_TONARROW,
  DSL_LW_LUT, DSL_LW_LUT_MASK, DSL_LW_LUT_MOD,
  DSL_LW_RESULT,            /* not an op: the result's NaN canonicalisation */
  DSL_NLOWER
} dsl_lower_form;

typedef struct {
  dsl_opcode op;            /* DSL_NOPS for the libm calls and the result */
  const char *name;         /* "rint.magic" */
  double cost;              /* weight in the cost model (an add is 1) */
  const char *when;         /* the C it becomes and where it may be used */
} dsl_lowerinfo;

const dsl_lowerinfo *dsl_lower_info (int form);
/* Writes the form of every instruction of P into FORM[0 .. ninsn-1], given
   R, the ranges of every value over the domain (NULL: nothing is known,
   every op takes its total form).  Returns nonzero when the result must
   have its NaN canonicalised (it may be NaN).  */
int dsl_lower (const dsl_prog *p, const dsl_range *r, uint8_t *form /* OUT */);
/* For instruction K in form DSL_LW_TOINT_RINT (toint of rint (y)): the
   value y, else -1.  */
int dsl_lower_rint_operand (const dsl_prog *p, const dsl_range *r, int k);
/* The cost of P's exported C on the box LO[j] <= x_j <= HI[j] (NULL: any
   input): its live instructions' lowered forms (range analysis with
   DSL_RANGE_BUDGET), plus the result's canonicalisation if needed.  */
double dsl_prog_cost (const dsl_prog *p, const double *lo, const double *hi);

/* Removes instructions that do not contribute to out (keeps order).  */
void dsl_prog_strip_dead (dsl_prog *p);
/* Bypasses bit round trips (asfloat of asint, asint of asfloat), strips
   dead code and orders the operands of commutative ops (values by index,
   then literals), which changes no result: equal skeletons then print and
   hash the same, and no search pads a program with free instructions.  */
void dsl_prog_canonicalize (dsl_prog *p);

#endif
