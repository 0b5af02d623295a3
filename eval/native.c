/* native -- compile C source with the configured compiler, dlopen it and call it through libffi.  */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ffi.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "eval/eval.h"

#ifndef AN_BENCH_CFLAGS
#define AN_BENCH_CFLAGS "-O3"
#endif

#ifndef AN_CC
#define AN_CC "cc"
#endif

/* The base flags come first so that the caller's (e.g. -O3 -std=gnu99) win.  */
static const char *const native_base_flags[] = { "-std=c99", "-O2", "-shared", "-fPIC" };
#define NATIVE_NBASE (sizeof native_base_flags / sizeof native_base_flags[0])

/* The most arguments a native function may take (libffi has no real limit;
   this bounds the per-call stack arrays).  */
#define NATIVE_MAXARITY 64

extern char **environ;

struct eval_native {
  void *handle;
  void (*fn) (void);
  int arity;
  dsl_type type;
  ffi_cif cif;
  ffi_type *argtype[];
};

/* The libffi type of a value of type Y's storage.  */
static ffi_type *
ffi_type_of (dsl_type y)
{
  switch (dsl_type_bits (y))
    {
    case 64: return &ffi_type_double;
    case 32: return &ffi_type_float;
    case 16: return &ffi_type_uint16;
    default: return &ffi_type_uint8;
    }
}

static int
native_check_signature (dsl_type y, int arity, dsl_error *err)
{
  if (!dsl_type_supported (y))
    return dsl_error_set (err, "native call: unknown type %d", (int) y);
  if (arity < 1 || arity > NATIVE_MAXARITY)
    return dsl_error_set (err, "native call: arity %d out of range 1..%d", arity, NATIVE_MAXARITY);
  return 0;
}

/* Resolves NAME in the open library HANDLE and prepares the float32 call.
   Takes ownership of HANDLE: it is closed on failure.  */
static int
native_bind (void *handle, const char *name, dsl_type y, int arity, eval_native **out, dsl_error *err)
{
  dlerror ();
  void *sym = dlsym (handle, name);
  const char *e = dlerror ();
  if (e || !sym)
    {
      dsl_error_set (err, "dlsym %s: %s", name, e ? e : "symbol is NULL");
      dlclose (handle);
      return -1;
    }
  eval_native *f = malloc (sizeof *f + (size_t) arity * sizeof f->argtype[0]);
  if (!f)
    {
      dlclose (handle);
      return dsl_error_set (err, "native call: out of memory");
    }
  f->handle = handle;
  /* dlsym returns an object pointer; POSIX guarantees it converts to a
     function pointer, and memcpy keeps -pedantic quiet about it.  */
  memcpy (&f->fn, &sym, sizeof f->fn);
  f->arity = arity;
  f->type = y;
  for (int j = 0; j < arity; j++)
    f->argtype[j] = ffi_type_of (y);
  if (ffi_prep_cif (&f->cif, FFI_DEFAULT_ABI, (unsigned) arity, ffi_type_of (y), f->argtype) != FFI_OK)
    {
      eval_native_free (f);
      return dsl_error_set (err, "ffi_prep_cif failed for %s", name);
    }
  *out = f;
  return 0;
}

static int
native_dlopen (const char *lib, void **handle, dsl_error *err)
{
  dlerror ();
  *handle = dlopen (lib, RTLD_NOW | RTLD_LOCAL);
  if (!*handle)
    {
      const char *e = dlerror ();
      return dsl_error_set (err, "dlopen %s: %s", lib, e ? e : "unknown error");
    }
  return 0;
}

int
eval_native_open (const char *lib, const char *name, dsl_type y, int arity,
                  eval_native **out /* OUT */, dsl_error *err)
{
  void *handle;
  *out = NULL;
  if (native_check_signature (y, arity, err) < 0 || native_dlopen (lib, &handle, err) < 0)
    return -1;
  return native_bind (handle, name, y, arity, out, err);
}

/* A temporary directory holding the source, the compiler's messages and the
   library; every path is removed by native_tmp_remove.  */
typedef struct {
  char dir[4096];
  char src[4096 + 16], log[4096 + 16], lib[4096 + 16];
} native_tmp;

static int
native_tmp_make (native_tmp *t, dsl_error *err)
{
  const char *base = getenv ("TMPDIR");
  if (!base || !*base)
    base = "/tmp";
  int n = snprintf (t->dir, sizeof t->dir, "%s/autonum-cc-XXXXXX", base);
  if (n < 0 || (size_t) n >= sizeof t->dir)
    return dsl_error_set (err, "native compile: TMPDIR is too long");
  if (!mkdtemp (t->dir))
    return dsl_error_set (err, "mkdtemp %s: %s", t->dir, strerror (errno));
  snprintf (t->src, sizeof t->src, "%s/prog.c", t->dir);
  snprintf (t->log, sizeof t->log, "%s/cc.log", t->dir);
  snprintf (t->lib, sizeof t->lib, "%s/prog.so", t->dir);
  return 0;
}

static void
native_tmp_remove (const native_tmp *t)
{
  unlink (t->src);
  unlink (t->log);
  unlink (t->lib);
  rmdir (t->dir);
}

static int
native_write_file (const char *path, const char *text, dsl_error *err)
{
  FILE *f = fopen (path, "w");
  if (!f)
    return dsl_error_set (err, "cannot create %s: %s", path, strerror (errno));
  size_t len = strlen (text);
  int bad = fwrite (text, 1, len, f) != len;
  bad |= fclose (f) != 0;
  if (bad)
    return dsl_error_set (err, "cannot write %s: %s", path, strerror (errno));
  return 0;
}

/* Splits S on blanks into WORDS (at most MAX), in place.  Returns the count,
   or -1 when there are too many.  Quoting is not interpreted: flags that
   contain blanks are not supported.  */
static int
native_split (char *s, char **words, int max)
{
  int n = 0;
  char *save;
  for (char *p = strtok_r (s, " \t\n", &save); p; p = strtok_r (NULL, " \t\n", &save))
    {
      if (n == max)
        return -1;
      words[n++] = p;
    }
  return n;
}

/* The most helpful single line of the compiler's messages: the first one
   that says "error", else the first line.  */
static void
native_first_error (const char *log, dsl_error *err)
{
  FILE *f = fopen (log, "r");
  char line[512], first[512] = "";
  const char *pick = NULL;
  if (f)
    {
      while (!pick && fgets (line, sizeof line, f))
        {
          line[strcspn (line, "\n")] = 0;
          if (!first[0])
            snprintf (first, sizeof first, "%s", line);
          if (strstr (line, "error"))
            pick = line;
        }
      fclose (f);
    }
  dsl_error_set (err, "compiler failed: %s", pick ? pick : first[0] ? first : "(no message)");
}

static int
native_wait (pid_t pid, const char *cc, dsl_error *err)
{
  int status;
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return dsl_error_set (err, "waitpid %s: %s", cc, strerror (errno));
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return 0;
  return 1;
}

/* Runs ARGV with stdout and stderr sent to LOG.  Returns 0 on success, 1 if
   the compiler ran and failed, -1 (ERR filled) if it could not be run.  */
static int
native_spawn (char *const *argv, const char *log, dsl_error *err)
{
  posix_spawn_file_actions_t fa;
  pid_t pid;
  if (posix_spawn_file_actions_init (&fa) != 0)
    return dsl_error_set (err, "posix_spawn_file_actions_init failed");
  int rc = posix_spawn_file_actions_addopen (&fa, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (rc == 0)
    rc = posix_spawn_file_actions_adddup2 (&fa, 2, 1);
  if (rc == 0)
    rc = posix_spawnp (&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy (&fa);
  if (rc != 0)
    return dsl_error_set (err, "cannot run %s: %s", argv[0], strerror (rc));
  return native_wait (pid, argv[0], err);
}

#define NATIVE_MAXWORDS 256

/* Compiles T->src into T->lib: CC (which may carry flags of its own),
   the base flags, the caller's flags, then -o LIB SRC -lm.  */
static int
native_run_cc (const native_tmp *t, const char *compiler, const char *cflags, dsl_error *err)
{
  char *argv[2 * NATIVE_MAXWORDS + NATIVE_NBASE + 8];
  char *cc = strdup (compiler), *flags = strdup (cflags ? cflags : "");
  int rc = -1;
  if (!cc || !flags)
    {
      dsl_error_set (err, "native compile: out of memory");
      goto out;
    }
  int ncc = native_split (cc, argv, NATIVE_MAXWORDS);
  int nfl = native_split (flags, argv + (ncc > 0 ? ncc : 0) + NATIVE_NBASE, NATIVE_MAXWORDS);
  if (ncc <= 0 || nfl < 0)
    {
      dsl_error_set (err, "native compile: bad compiler \"%s\" or too many flags", compiler);
      goto out;
    }
  for (size_t k = 0; k < NATIVE_NBASE; k++)
    argv[ncc + k] = (char *) native_base_flags[k];
  int n = ncc + (int) NATIVE_NBASE + nfl;
  argv[n++] = (char *) "-o";
  argv[n++] = (char *) t->lib;
  argv[n++] = (char *) t->src;
  argv[n++] = (char *) "-lm";
  argv[n] = NULL;
  rc = native_spawn (argv, t->log, err);
  if (rc > 0)
    {
      if (err)
        native_first_error (t->log, err);
      rc = -1;
    }
out:
  free (cc);
  free (flags);
  return rc;
}

int
eval_native_compile (const char *src, const char *name, dsl_type y, int arity,
                     const char *cflags, eval_native **out /* OUT */, dsl_error *err)
{
  return eval_native_compile_with (AN_CC, src, name, y, arity, cflags, out, err);
}

int
eval_native_compile_with (const char *cc, const char *src, const char *name, dsl_type y, int arity,
                          const char *cflags, eval_native **out /* OUT */, dsl_error *err)
{
  native_tmp t;
  void *handle = NULL;
  *out = NULL;
  if (native_check_signature (y, arity, err) < 0 || native_tmp_make (&t, err) < 0)
    return -1;
  int rc = native_write_file (t.src, src, err);
  if (rc == 0)
    rc = native_run_cc (&t, cc, cflags, err);
  if (rc == 0)
    rc = native_dlopen (t.lib, &handle, err);
  /* The mapping outlives the file: the library can be unlinked once open.  */
  native_tmp_remove (&t);
  if (rc < 0)
    return -1;
  return native_bind (handle, name, y, arity, out, err);
}

void
eval_native_run (eval_native *f, size_t n, const void *const *in, void *out)
{
  uint64_t arg[NATIVE_MAXARITY];
  void *argp[NATIVE_MAXARITY];
  size_t sz = eval_type_size (f->type);
  for (int j = 0; j < f->arity; j++)
    argp[j] = &arg[j];
  for (size_t i = 0; i < n; i++)
    {
      /* ffi_arg-sized return storage, as libffi asks for small return types;
         a value is at the start of its slot (little or big endian: libffi
         widens integer returns to ffi_arg, so those are read back as one).  */
      union { ffi_arg a; double d; float f; } r;
      for (int j = 0; j < f->arity; j++)
        memcpy (&arg[j], (const char *) in[j] + i * sz, sz);
      ffi_call (&f->cif, f->fn, &r, argp);
      switch (dsl_type_bits (f->type))
        {
        case 64: ((double *) out)[i] = r.d; break;
        case 32: ((float *) out)[i] = r.f; break;
        case 16: ((uint16_t *) out)[i] = (uint16_t) r.a; break;
        default: ((uint8_t *) out)[i] = (uint8_t) r.a; break;
        }
    }
}

void *
eval_native_symbol (const eval_native *f, const char *name)
{
  return dlsym (f->handle, name);
}

void
eval_native_free (eval_native *f)
{
  if (!f)
    return;
  if (f->handle)
    dlclose (f->handle);
  free (f);
}

/* The C that runs a program natively: its exported text (dsl_emit_c,
   lowered for domain D when D is given, inlinable), a libffi entry point,
   and array loops: the file's own NAME_array, and with D the same loop over
   the total form of every op (the interpreter's meaning for every input),
   which the verifier compares with the lowered one.  The kernel is forced
   inline: with two callers GCC kept a 25-instruction program out of line,
   and the loop ran scalar calls at 44 ns per element instead of vectorised
   code at 4.4.  */
static char *
program_source (const dsl_prog *p, const eval_domain *d, int with_total)
{
  char *prog = dsl_emit_c (p, d ? d->lo : NULL, d ? d->hi : NULL, "autonum_fn", NULL);
  char *total = with_total && prog ? dsl_emit_c (p, NULL, NULL, "autonum_tot", NULL) : NULL;
  size_t cap = (prog ? strlen (prog) : 0) + (total ? strlen (total) : 0) + 2048;
  char *src = prog && (total || !with_total) ? malloc (cap) : NULL;
  if (!src)
    return free (prog), free (total), NULL;
  int two = p->nin == 2;
  const char *st = dsl_type_info (p->type)->c_type;
  char ins[128], x1[64];
  snprintf (ins, sizeof ins, two ? "(const %s *) in[0], (const %s *) in[1]" : "(const %s *) in[0]", st, st);
  snprintf (x1, sizeof x1, two ? ", %s x1" : "", st);
  int n = snprintf (src, cap,
                    "#define AN_LINKAGE static\n%s\n%s\n"
                    "%s " EVAL_NATIVE_CALL " (%s x0%s);\n"
                    "%s\n" EVAL_NATIVE_CALL " (%s x0%s)\n{\n  return autonum_fn (x0%s);\n}\n\n"
                    "void " EVAL_NATIVE_LOOP " (size_t n, const void *const *in, void *out);\n"
                    "void\n" EVAL_NATIVE_LOOP " (size_t n, const void *const *in, void *out)\n{\n"
                    "  autonum_fn_array (%s, (%s *) out, n);\n}\n\n",
                    prog, total ? total : "", st, st, x1, st, st, x1, two ? ", x1" : "", ins, st);
  if (total)
    snprintf (src + n, cap - (size_t) n,
              "void " EVAL_NATIVE_TOTAL " (size_t n, const void *const *in, void *out);\n"
              "void\n" EVAL_NATIVE_TOTAL " (size_t n, const void *const *in, void *out)\n{\n"
              "  autonum_tot_array (%s, (%s *) out, n);\n}\n",
              ins, st);
  free (prog);
  free (total);
  return src;
}

int
eval_native_program (const dsl_prog *p, const eval_domain *d, const char *cflags, eval_native **out /* OUT */,
                     eval_loop_fn *loop /* OUT */, eval_loop_fn *total /* OUT */, dsl_error *err)
{
  *out = NULL;
  *loop = NULL;
  if (total)
    *total = NULL;
  if (p->nin > 2)
    return dsl_error_set (err, "native compile: programs of 1 or 2 inputs only");
  char *src = program_source (p, d, total != NULL);
  if (!src)
    return dsl_error_set (err, "native compile: out of memory");
  int rc = eval_native_compile (src, EVAL_NATIVE_CALL, p->type, p->nin, cflags, out, err);
  free (src);
  if (rc < 0)
    return -1;
  void *l = eval_native_symbol (*out, EVAL_NATIVE_LOOP), *t = total ? eval_native_symbol (*out, EVAL_NATIVE_TOTAL) : NULL;
  if (!l || (total && !t))
    {
      eval_native_free (*out);
      *out = NULL;
      return dsl_error_set (err, "native compile: the compiled program lacks its array loops");
    }
  memcpy (loop, &l, sizeof *loop);
  if (total)
    memcpy (total, &t, sizeof *total);
  return 0;
}

/* One translation unit holding every program of PS, lowered for D, as
   autonum_fN with its array entry point, and a dispatcher to those.  */
static char *
batch_source (const dsl_prog *const *ps, int n, const eval_domain *d)
{
  size_t cap = 1024, len = 0;
  char **src = calloc (n > 0 ? (size_t) n : 1, sizeof *src);
  int bad = !src;
  for (int k = 0; !bad && k < n; k++)
    {
      char name[32];
      snprintf (name, sizeof name, "autonum_f%d", k);
      src[k] = dsl_emit_c (ps[k], d->lo, d->hi, name, NULL);
      bad = !src[k] || ps[k]->nin > 2;
      cap += bad ? 0 : strlen (src[k]) + 128;
    }
  char *s = bad ? NULL : malloc (cap);
  for (int k = 0; s && k < n; k++)
    len += (size_t) snprintf (s + len, cap - len, "%s\n", src[k]);
  if (s)
    len += (size_t) snprintf (s + len, cap - len,
                              "void autonum_batch (int k, size_t n, const void *const *in, void *out);\n"
                              "void\nautonum_batch (int k, size_t n, const void *const *in, void *out)\n{\n"
                              "  switch (k)\n    {\n");
  const char *st = n ? dsl_type_info (ps[0]->type)->c_type : "float";
  for (int k = 0; s && k < n; k++)
    {
      if (ps[k]->nin == 2)
        len += (size_t) snprintf (s + len, cap - len,
                                  "    case %d: autonum_f%d_array ((const %s *) in[0], (const %s *) in[1], (%s *) out, n); break;\n",
                                  k, k, st, st, st);
      else
        len += (size_t) snprintf (s + len, cap - len,
                                  "    case %d: autonum_f%d_array ((const %s *) in[0], (%s *) out, n); break;\n", k, k,
                                  st, st);
    }
  if (s)
    snprintf (s + len, cap - len, "    }\n}\n");
  for (int k = 0; src && k < n; k++)
    free (src[k]);
  free (src);
  return s;
}

static double
native_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

int
eval_native_time (const dsl_prog *const *ps, int n, const eval_domain *d, const void *const *in, size_t npoints,
                  int reps, double *ns /* OUT */, dsl_error *err)
{
  for (int k = 0; k < n; k++)
    ns[k] = INFINITY;
  if (n == 0)
    return 0;
  for (int k = 0; k < n; k++)
    if (ps[k]->type != ps[0]->type || ps[k]->nin > 2 || ps[k]->nin != ps[0]->nin)
      return dsl_error_set (err, "timing: programs of 1 or 2 inputs, all of one type and arity");
  char *src = batch_source (ps, n, d);
  void *out = malloc ((npoints ? npoints : 1) * eval_type_size (ps[0]->type));
  eval_native *f = NULL;
  int rc = src && out ? 0 : dsl_error_set (err, "timing: out of memory");
  if (rc == 0)
    rc = eval_native_compile (src, "autonum_batch", ps[0]->type, 1, AN_BENCH_CFLAGS, &f, err);
  if (rc == 0)
    {
      void *sym = eval_native_symbol (f, "autonum_batch");
      void (*batch) (int, size_t, const void *const *, void *);
      memcpy (&batch, &sym, sizeof batch);
      /* Enough calls per timing to last about a millisecond at 1 ns per element.  */
      size_t inner = npoints && npoints < (1u << 20) ? (1u << 20) / npoints : 1;
      for (int r = 0; r < reps; r++)   /* interleaved: a slow spell hits every program alike */
        for (int k = 0; k < n; k++)
          {
            double t0 = native_now ();
            for (size_t i = 0; i < inner; i++)
              batch (k, npoints, in, out);
            double t = (native_now () - t0) * 1e9 / ((double) inner * (double) (npoints ? npoints : 1));
            ns[k] = t < ns[k] ? t : ns[k];
          }
    }
  eval_native_free (f);
  free (out);
  free (src);
  return rc;
}
