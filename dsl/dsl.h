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

/* Floating-point types.  Only DSL_FLOAT32 has an interpreter today; the others
   are named so that targets and the command line can refuse them clearly.  */
typedef enum {
  DSL_FLOAT32,
  DSL_FLOAT64,
  DSL_FLOAT16,
  DSL_BFLOAT16,
  DSL_FP8E4M3,
  DSL_FP8E5M2,
  DSL_NTYPES
} dsl_type;

const char *dsl_type_name (dsl_type t);
/* Returns 0 and sets *t for a known name ("float32", "f32", "binary32", ...), else -1.  */
int dsl_type_parse (const char *name, dsl_type *t /* OUT */);
/* Storage width in bits of one value of the type (also the width of its integers).  */
int dsl_type_bits (dsl_type t);
/* Nonzero when the interpreter and emitter support the type.  */
int dsl_type_supported (dsl_type t);

/* Value kinds.  */
typedef enum { DSL_KF = 0, DSL_KI = 1 } dsl_kind;

/* Ops.  The order is the order of rows in the op table (dsl/ops.c).  */
typedef enum {
  DSL_ADD, DSL_SUB, DSL_MUL, DSL_DIV, DSL_FMA, DSL_NEG, DSL_ABS, DSL_MIN, DSL_MAX,
  DSL_SQRT, DSL_RINT, DSL_FLOOR,
  DSL_ASINT, DSL_ASFLOAT, DSL_TOINT, DSL_TOFLOAT,
  DSL_IADD, DSL_ISUB, DSL_SHL, DSL_SHR, DSL_AND, DSL_OR, DSL_XOR, DSL_LDEXP,
  DSL_LT, DSL_LE, DSL_SELECT,
  DSL_EXP, DSL_LOG, DSL_LOG1P, DSL_ERF,
  DSL_NOPS
} dsl_opcode;

#define DSL_MAXARGS 3

/* Op flags.  */
#define DSL_COMMUTATIVE 1u   /* first two operands may be swapped */
#define DSL_LIBM        2u   /* calls the platform libm */
#define DSL_MULTIPLY    4u   /* a multiplier (excluded by multiply-free searches) */

typedef struct {
  const char *name;
  int arity;
  dsl_kind arg[DSL_MAXARGS];
  dsl_kind result;
  double cost;            /* weight in the cost model (an add is 1) */
  unsigned flags;
  const char *meaning;    /* one line: the op's total definition */
} dsl_opinfo;

const dsl_opinfo *dsl_op (dsl_opcode op);
/* Returns the opcode for NAME, or -1.  */
int dsl_op_lookup (const char *name);

/* One operand: a reference to value REF, or (is_const) a literal whose bit
   pattern, in the program type's storage width, is BITS.  */
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

typedef struct {
  dsl_type type;
  int nin;                       /* number of inputs, >= 1 */
  char (*inname)[DSL_MAXNAME];   /* nin input names */
  int ninsn;
  int cap;
  dsl_insn *insn;
  uint32_t out;                  /* the value returned */
  /* Metadata read from the "# autonum 1 ..." header, empty when absent.  */
  char target[DSL_MAXNAME];
  int has_domain;
  double domain_lo, domain_hi;
} dsl_prog;

/* A new program of type T with NIN inputs named x (or x0, x1, ...), no
   instructions, and out set to input 0.  Returns NULL if memory runs out.  */
dsl_prog *dsl_prog_new (dsl_type t, int nin);
void dsl_prog_free (dsl_prog *p);
/* A deep copy, or NULL if memory runs out.  */
dsl_prog *dsl_prog_clone (const dsl_prog *p);
/* Appends instruction I (not checked; see dsl_prog_check).  Returns the new
   value's index, or -1 if memory runs out (P is unchanged then).  */
int dsl_prog_append (dsl_prog *p, const dsl_insn *i);
/* Kind of value V.  */
dsl_kind dsl_value_kind (const dsl_prog *p, uint32_t v);
/* Structural equality: type, inputs (names included), instructions, constants
   (by bit pattern) and out.  Metadata is not compared.  */
int dsl_prog_equal (const dsl_prog *a, const dsl_prog *b);
/* Weighted op count from the op table.  */
double dsl_prog_cost (const dsl_prog *p);

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

/* Parses TEXT as a program of type T (a "type=" header in the text overrides
   T when HEADER_TYPE is nonzero).  Returns 0 and a new program in *OUT, which
   the caller frees, or -1 with ERR filled and *OUT NULL.  */
int dsl_parse (const char *text, dsl_type t, int header_type, dsl_prog **out /* OUT */,
               dsl_error *err /* OUT */);

/* Prints P; the caller frees the result.  NULL if memory runs out.  With
   HEADER nonzero, the first line is the "# autonum 1 ..." metadata line.  */
char *dsl_print (const dsl_prog *p, int header);

/* Literal formatting, shared by the printer and the C emitter: a float32 bit
   pattern as an exact hex float ("0x1.715476p+0", "-0x0p+0", "inf", "nan(0x7fc00000)").  */
void dsl_format_f32 (uint32_t bits, char *buf, size_t size);

/* The batch interpreter.  Evaluates P on N points: IN[j] points to N values of
   input j, OUT receives N values, all as the type's storage (float for
   float32).  Column-at-a-time, in the arithmetic of the emitted C.  A scratch
   context may be reused across calls for the same program by one thread.
   Returns 0, or -1 if memory runs out.  */
typedef struct dsl_interp dsl_interp;
dsl_interp *dsl_interp_new (const dsl_prog *p);
void dsl_interp_free (dsl_interp *c);
void dsl_interp_run (dsl_interp *c, size_t n, const void *const *in, void *out);
/* Takes the literals of P, which must have the structure (ops, references,
   which operands are literals) of the program C was made for: constant
   fitting changes only literals and must not pay for a new context each time.  */
void dsl_interp_reload (dsl_interp *c, const dsl_prog *p);
int dsl_run (const dsl_prog *p, size_t n, const void *const *in, void *out);

/* Scalar semantics of one float32 op on bit patterns (the definition the
   interpreter vectorises; used by tests).  */
uint32_t dsl_apply_f32 (dsl_opcode op, const uint32_t *args);

/* The C emitter.  Writes a self-contained C99 translation unit defining
   "float NAME(float x, ...)" with COMMENT (may be NULL; lines are prefixed
   with " * ") placed in the file's header comment.  Returns a malloc'd
   string, or NULL if memory runs out.  */
char *dsl_emit_c (const dsl_prog *p, const char *name, const char *comment);
/* Nonzero when S cannot name a value or the function in emitted C (a C
   keyword, a name the emitted file uses, or FNAME, the function's name).  */
int dsl_c_name_clashes (const char *s, const char *fname);

/* Removes instructions that do not contribute to out (keeps order).  */
void dsl_prog_strip_dead (dsl_prog *p);
/* Strips dead code and orders the operands of commutative ops (values by
   index, then literals), which changes no result: equal skeletons then print
   and hash the same.  */
void dsl_prog_canonicalize (dsl_prog *p);

#endif
