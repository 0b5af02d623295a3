/* migrate -- front members between the islands of one run (search/island.c sends the bytes).

   An emigrant is its text and scores; the receiving island keeps the scores where the
   sender's sample sets were its own (the same run seed gives every island the same sets,
   until a counterexample joins one), and otherwise measures the program on its samples
   as it is (its constants are not refitted: they are what made it worth sending).  */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/internal.h"

#define MAGIC 0x6d696772u   /* 'migr' */

typedef struct {
  uint32_t magic, n;
  uint64_t digest;          /* of the sender's small and large sets */
} head;

typedef struct {
  double cost, err_small, err_large, mean_large, ulp_large, err_verified, ulp_verified;
  uint64_t large_points, verified_points, skey, fkey;
  int32_t verified;
  uint32_t len;             /* of the text that follows, its 0 included */
} one;

static uint64_t
digest (const search_state *s)
{
  return hash_samples (s->large, hash_samples (s->small, 0));
}

void *
search_emigrants (const search_state *s, int max, size_t *n, dsl_error *err)
{
  *n = 0;
  int k = s->nfront < max ? s->nfront : max;
  char **text = calloc (k ? k : 1, sizeof *text);
  const search_indiv **who = calloc (k ? k : 1, sizeof *who);
  size_t size = sizeof (head);
  int ok = text && who;
  for (int i = 0; i < k && ok; i++)
    {
      /* Spread over the front, which is sorted cheapest first: both ends are sent.  */
      who[i] = s->front[k == 1 ? 0 : (int) ((long) i * (s->nfront - 1) / (k - 1))];
      ok = (text[i] = dsl_print (who[i]->prog, 0)) != NULL;
      if (ok)
        size += sizeof (one) + strlen (text[i]) + 1;
    }
  unsigned char *buf = ok ? malloc (size) : NULL;
  if (buf)
    {
      head h = {MAGIC, (uint32_t) k, digest (s)};
      memcpy (buf, &h, sizeof h);
      size_t at = sizeof h;
      for (int i = 0; i < k; i++)
        {
          const search_indiv *a = who[i];
          one o = {a->cost, a->err_small, a->err_large, a->mean_large, a->ulp_large, a->err_verified, a->ulp_verified,
                   a->large_points, a->verified_points, a->skey, a->fkey, a->verified, (uint32_t) strlen (text[i]) + 1};
          memcpy (buf + at, &o, sizeof o);
          memcpy (buf + at + sizeof o, text[i], o.len);
          at += sizeof o + o.len;
        }
      *n = size;
    }
  for (int i = 0; i < k && text; i++)
    free (text[i]);
  free (text);
  free (who);
  if (!buf)
    dsl_error_set (err, "out of memory");
  return buf;
}

/* A's scores on S's samples, its constants as they are.  */
static void
measure (const search_state *s, search_indiv *a)
{
  search_err m;
  search_measure (a->prog, s->small, s->P.metric, s->P.mean, &m);
  a->err_small = search_objective (&m);
  search_measure (a->prog, s->large, s->P.metric, s->P.mean, &m);
  search_set_large (s, a, &m);
  a->fkey = s->evals ? hash_functional (a->prog, s->probe, s->P.drop_bits) : 0;
}

int
search_immigrate (search_state *s, const void *buf, size_t n, dsl_error *err)
{
  const unsigned char *b = buf;
  head h;
  if (n < sizeof h)
    return dsl_error_set (err, "migrants: %zu bytes, not a message", n);
  memcpy (&h, b, sizeof h);
  if (h.magic != MAGIC)
    return dsl_error_set (err, "migrants: not a message of this autonum");
  int same = h.digest == digest (s), joined = 0;
  int cap = 2 * s->P.population + MAXSEEDS + 8;
  size_t at = sizeof h;
  for (uint32_t i = 0; i < h.n; i++)
    {
      one o;
      if (n - at < sizeof o || (memcpy (&o, b + at, sizeof o), o.len > n - at - sizeof o) || o.len == 0
          || b[at + sizeof o + o.len - 1] != 0)
        return dsl_error_set (err, "migrants: the message ends in the middle of a program");
      const char *text = (const char *) b + at + sizeof o;
      at += sizeof o + o.len;
      search_indiv a;
      memset (&a, 0, sizeof a);
      if (dsl_parse (text, s->P.type, 0, &a.prog, err) < 0)
        return dsl_error_set (err, "migrants: %s", err->msg);
      int ok = a.prog->ninsn <= s->P.max_insn && a.prog->nin == s->P.target->arity && s->npop < cap;
      for (int k = 0; k < a.prog->ninsn && ok; k++)
        ok = (s->P.ops >> a.prog->insn[k].op) & 1;
      if (!ok)
        {
          dsl_prog_free (a.prog);
          continue;
        }
      a.cost = o.cost;
      a.verified = o.verified;
      a.err_verified = o.err_verified;
      a.ulp_verified = o.ulp_verified;
      a.verified_points = o.verified_points;
      a.skey = o.skey;
      if (same)
        {
          a.err_small = o.err_small;
          a.err_large = o.err_large;
          a.mean_large = o.mean_large;
          a.ulp_large = o.ulp_large;
          a.large_points = o.large_points;
          a.fkey = o.fkey;
        }
      else
        measure (s, &a);
      a.id = ++s->next_id;
      a.generation = s->st.generation;
      a.origin = "migrant";
      if (s->db.db && search_persist_children (s, &a, 1, err) < 0)
        {
          dsl_prog_free (a.prog);
          return -1;
        }
      search_adopt (s, &a);
      joined++;
    }
  return joined;
}
