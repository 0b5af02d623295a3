/* hash -- XXH3 functional and structural hashes, and a 4-way set-associative LRU cache.  */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "hash/hash.h"

uint64_t
hash_functional (const dsl_prog *p, const eval_samples *probe, int drop_bits)
{
  uint32_t out[256];
  size_t n = probe->n < 256 ? probe->n : 256;
  const void *in[EVAL_MAXARITY];
  for (int j = 0; j < p->nin; j++)
    in[j] = probe->in[j];
  if (dsl_run (p, n, in, out) < 0)
    return 0;   /* out of memory: key 0 is never stored, so this is a miss */
  uint32_t mask = drop_bits > 0 ? ~((UINT32_C (1) << (drop_bits < 23 ? drop_bits : 23)) - 1) : ~UINT32_C (0);
  for (size_t i = 0; i < n; i++)
    out[i] &= mask;
  return XXH3_64bits (out, n * sizeof out[0]);
}

uint64_t
hash_samples (const eval_samples *s, uint64_t seed)
{
  XXH3_state_t *st = XXH3_createState ();
  if (!st)
    return 0;
  XXH3_64bits_reset_withSeed (st, seed);
  size_t bytes = s->n * eval_type_size (s->type);
  for (int j = 0; j < s->target->arity; j++)
    XXH3_64bits_update (st, s->nvec ? s->logit : s->in[j], bytes);
  XXH3_64bits_update (st, s->ref_hi, s->n * sizeof (double));
  XXH3_64bits_update (st, s->ref_lo, s->n * sizeof (double));
  uint64_t h = XXH3_64bits_digest (st);
  XXH3_freeState (st);
  return h;
}

uint64_t
hash_structural (const dsl_prog *p)
{
  dsl_prog *q = dsl_prog_clone (p);
  if (!q)
    return 0;
  dsl_prog_canonicalize (q);
  /* Serialise: inputs, then per instruction the op and each operand as a
     reference, an integer literal, or the float-literal placeholder.  */
  size_t words = 2 + (size_t) q->ninsn * (1 + 2 * DSL_MAXARGS);
  uint64_t *buf = malloc (words * sizeof *buf);
  if (!buf)
    {
      dsl_prog_free (q);
      return 0;
    }
  size_t n = 0;
  buf[n++] = (uint64_t) q->nin | (uint64_t) q->ntab << 8 | (uint64_t) q->tabw << 16;   /* not its entries */
  buf[n++] = q->out;
  for (int k = 0; k < q->ninsn; k++)
    {
      const dsl_insn *i = &q->insn[k];
      const dsl_opinfo *o = dsl_op ((dsl_opcode) i->op);
      buf[n++] = i->op;
      for (int s = 0; s < o->arity; s++)
        {
          const dsl_operand *a = &i->a[s];
          buf[n++] = !a->is_const ? 0 : o->arg[s] == DSL_KF ? 1 : 2;
          buf[n++] = !a->is_const ? a->ref : o->arg[s] == DSL_KF ? 0 : a->bits;
        }
    }
  uint64_t h = XXH3_64bits (buf, n * sizeof *buf);
  free (buf);
  dsl_prog_free (q);
  return h;
}

#define WAYS 4

struct hash_cache {
  size_t nsets, size;
  hash_entry *e;          /* nsets * WAYS; key 0 = empty */
  uint64_t *used;         /* recency tick per slot */
  uint64_t tick;
};

hash_cache *
hash_cache_new (size_t capacity)
{
  hash_cache *c = calloc (1, sizeof *c);
  if (!c)
    return NULL;
  c->nsets = capacity / WAYS ? capacity / WAYS : 1;
  c->e = calloc (c->nsets * WAYS, sizeof *c->e);
  c->used = calloc (c->nsets * WAYS, sizeof *c->used);
  if (!c->e || !c->used)
    {
      hash_cache_free (c);
      return NULL;
    }
  return c;
}

void
hash_cache_free (hash_cache *c)
{
  if (!c)
    return;
  free (c->e);
  free (c->used);
  free (c);
}

static size_t
set_of (const hash_cache *c, uint64_t key)
{
  return (size_t) (key % c->nsets) * WAYS;
}

static long
find (const hash_cache *c, uint64_t key)
{
  if (key == 0)
    return -1;
  size_t s = set_of (c, key);
  for (size_t w = 0; w < WAYS; w++)
    if (c->e[s + w].key == key)
      return (long) (s + w);
  return -1;
}

int
hash_cache_peek (const hash_cache *c, uint64_t key, hash_entry *out)
{
  long i = find (c, key);
  if (i < 0)
    return 0;
  *out = c->e[i];
  return 1;
}

void
hash_cache_touch (hash_cache *c, uint64_t key)
{
  long i = find (c, key);
  if (i >= 0)
    c->used[i] = ++c->tick;
}

void
hash_cache_put (hash_cache *c, const hash_entry *e)
{
  if (e->key == 0)
    return;
  long i = find (c, e->key);
  if (i < 0)
    {
      size_t s = set_of (c, e->key), victim = s;
      for (size_t w = 0; w < WAYS; w++)
        {
          if (c->e[s + w].key == 0)
            {
              victim = s + w;
              break;
            }
          if (c->used[s + w] < c->used[victim])
            victim = s + w;
        }
      if (c->e[victim].key == 0)
        c->size++;
      i = (long) victim;
    }
  c->e[i] = *e;
  c->used[i] = ++c->tick;
}

size_t
hash_cache_size (const hash_cache *c)
{
  return c->size;
}

void
hash_cache_clear (hash_cache *c)
{
  memset (c->e, 0, c->nsets * WAYS * sizeof *c->e);
  memset (c->used, 0, c->nsets * WAYS * sizeof *c->used);
  c->size = 0;
}

size_t
hash_cache_capacity (const hash_cache *c)
{
  return c->nsets * WAYS;
}

void
hash_cache_each (const hash_cache *c, uint64_t since,
                 void (*fn) (size_t slot, uint64_t used, const hash_entry *e, void *arg), void *arg)
{
  for (size_t i = 0; i < c->nsets * WAYS; i++)
    if (c->e[i].key && c->used[i] > since)
      fn (i, c->used[i], &c->e[i], arg);
}

int
hash_cache_restore (hash_cache *c, size_t slot, uint64_t used, const hash_entry *e)
{
  if (slot >= c->nsets * WAYS || e->key == 0 || set_of (c, e->key) != slot / WAYS * WAYS)
    return -1;
  if (c->e[slot].key == 0)
    c->size++;
  c->e[slot] = *e;
  c->used[slot] = used;
  return 0;
}

uint64_t
hash_cache_clock (const hash_cache *c)
{
  return c->tick;
}

void
hash_cache_set_clock (hash_cache *c, uint64_t tick)
{
  c->tick = tick;
}
