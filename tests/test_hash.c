/* test_hash -- functional and structural keys, and the cache's eviction.  */
#include <stdlib.h>
#include <string.h>

#include "hash/hash.h"
#include "tests/tap.h"

static dsl_prog *
parse (const char *text)
{
  dsl_prog *p = NULL;
  dsl_error e;
  if (dsl_parse (text, DSL_FLOAT32, 0, &p, &e) < 0)
    tap_diag ("parse: %s", e.msg);
  return p;
}

static void
test_keys (const eval_samples *probe)
{
  dsl_prog *a = parse ("in x\nv1 = mul x 0x1.8p+0\nv2 = add v1 x\nout v2\n");
  dsl_prog *b = parse ("in x\nd = sqrt x\nv1 = mul 0x1.8p+0 x\ndead = add d d\nv2 = add x v1\nout v2\n");
  dsl_prog *c = parse ("in x\nv1 = mul x 0x1.7p+0\nv2 = add v1 x\nout v2\n");
  dsl_prog *d = parse ("in x\nv1 = mul x 0x1.99999ap-4\nout v1\n");   /* x * 0.1f */
  dsl_prog *e = parse ("in x\nv1 = div x 0x1.4p+3\nout v1\n");          /* x / 10: not the same bits */
  tap_ok (hash_structural (a) == hash_structural (b), "dead code and operand order: same skeleton");
  tap_ok (hash_functional (a, probe, 0) == hash_functional (b, probe, 0), "dead code and operand order: same function");
  tap_ok (hash_structural (a) == hash_structural (c), "another constant: same skeleton");
  tap_ok (hash_functional (a, probe, 0) != hash_functional (c, probe, 0), "another constant: another function");
  tap_ok (hash_functional (d, probe, 0) != hash_functional (e, probe, 0),
          "x*0.1f and x/10 (algebraically equal, bitwise different): different keys");
  tap_ok (hash_structural (d) != hash_structural (e), "mul and div: different skeletons");
  /* Dropping mantissa bits merges functions that differ in the last bits only.  */
  dsl_prog *f = parse ("in x\nv1 = mul x 0x1.8p+0\nv2 = add v1 x\nv3 = asint v2\nv4 = or v3 1\nv5 = asfloat v4\nout v5\n");
  dsl_prog *g = parse ("in x\nv1 = mul x 0x1.8p+0\nv2 = add v1 x\nv3 = asint v2\nv4 = and v3 -2\nv5 = asfloat v4\nout v5\n");
  tap_ok (hash_functional (g, probe, 0) != hash_functional (f, probe, 0)
            && hash_functional (g, probe, 1) == hash_functional (f, probe, 1),
          "outputs differing in the last bit: different keys, the same with 1 low bit dropped");
  dsl_prog_free (g);
  dsl_prog_free (a);
  dsl_prog_free (b);
  dsl_prog_free (c);
  dsl_prog_free (d);
  dsl_prog_free (e);
  dsl_prog_free (f);
}

static void
test_cache (void)
{
  hash_cache *c = hash_cache_new (16);
  hash_entry e, got;
  memset (&e, 0, sizeof e);
  for (uint64_t k = 1; k <= 1000; k++)
    {
      e.key = k * 0x9e3779b97f4a7c15u;
      e.value[0] = (double) k;
      hash_cache_put (c, &e);
      if (k % 10 == 0)
        hash_cache_touch (c, 5 * 0x9e3779b97f4a7c15u);   /* keep key 5 in use */
    }
  tap_ok (hash_cache_size (c) <= hash_cache_capacity (c) && hash_cache_capacity (c) == 16,
          "a bounded cache stays bounded (%zu of %zu)", hash_cache_size (c), hash_cache_capacity (c));
  tap_ok (hash_cache_peek (c, 5 * 0x9e3779b97f4a7c15u, &got) && got.value[0] == 5,
          "an entry in use survives 1000 insertions (LRU)");
  tap_ok (!hash_cache_peek (c, 1 * 0x9e3779b97f4a7c15u, &got) || got.value[0] == 1, "no entry is returned for another key");
  tap_ok (hash_cache_peek (c, 1000 * 0x9e3779b97f4a7c15u, &got) && got.value[0] == 1000, "the newest entry is there");
  e.key = 1000 * 0x9e3779b97f4a7c15u;
  e.value[0] = -1;
  hash_cache_put (c, &e);
  tap_ok (hash_cache_peek (c, e.key, &got) && got.value[0] == -1, "putting an existing key replaces its value");
  hash_cache_free (c);
}

int
main (void)
{
  tap_seed (0);
  const eval_target *t = eval_target_lookup ("exp");
  eval_samples *probe;
  dsl_error e;
  eval_samples_build (t, DSL_FLOAT32, &t->domain[DSL_FLOAT32], 64, 7, 1, &probe, &e);
  test_keys (probe);
  test_cache ();
  eval_samples_free (probe);
  return tap_done ();
}
