/* hash -- functional and structural hashes of programs, and the bounded evaluation cache.

   The functional hash is XXH3 (libxxhash) over the bit patterns a program
   returns on a fixed probe set, optionally with the lowest mantissa bits
   dropped: two programs with the same key are taken to compute the same
   function for scoring.  The structural hash is XXH3 over the program after
   dead-code removal, with the operands of commutative ops in a canonical
   order and every float literal replaced by a placeholder: the skeleton,
   which constant fitting turns into the same constants every time.  */
#ifndef AUTONUM_HASH_H
#define AUTONUM_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "dsl/dsl.h"
#include "eval/eval.h"

/* XXH3 of P's outputs on PROBE, low DROP_BITS of every output cleared.  */
uint64_t hash_functional (const dsl_prog *p, const eval_samples *probe, int drop_bits);
/* XXH3 of P's skeleton (see above).  */
uint64_t hash_structural (const dsl_prog *p);
/* XXH3 of a sample set: its points (SEED-independent: the values themselves) and references,
   with a running SEED to chain several sets.  */
uint64_t hash_samples (const eval_samples *s, uint64_t seed);

/* A cached score: whatever the caller stores (the search keeps its errors).  */
#define HASH_VALUE_WORDS 24

typedef struct {
  uint64_t key;
  double value[HASH_VALUE_WORDS];
} hash_entry;

/* The cache: KEY -> VALUE, at most CAPACITY entries.  Eviction: each key has
   one set of 4 ways (by its low bits); a full set replaces its least
   recently used way, so the cache keeps what the search keeps meeting.
   Not thread-safe: look up from many threads only while nobody inserts.  */
typedef struct hash_cache hash_cache;

hash_cache *hash_cache_new (size_t capacity);
void hash_cache_free (hash_cache *c);
/* Copies the entry for KEY into *OUT and returns 1, or returns 0.  Does not
   touch recency, so lookups can run in parallel.  */
int hash_cache_peek (const hash_cache *c, uint64_t key, hash_entry *out /* OUT */);
/* Inserts or replaces, and marks as most recently used.  */
void hash_cache_put (hash_cache *c, const hash_entry *e);
/* Marks KEY as used (a hit, recorded after a parallel phase).  */
void hash_cache_touch (hash_cache *c, uint64_t key);
size_t hash_cache_size (const hash_cache *c);
/* Forgets every entry (when what the entries were measured on changes).  */
void hash_cache_clear (hash_cache *c);
size_t hash_cache_capacity (const hash_cache *c);
/* Every entry, in slot order, with its slot and recency tick: calls FN for
   each with USED > SINCE (0: all).  With hash_cache_restore and the clock,
   what the store needs to rebuild the cache exactly, evictions included.  */
void hash_cache_each (const hash_cache *c, uint64_t since,
                      void (*fn) (size_t slot, uint64_t used, const hash_entry *e, void *arg), void *arg);
/* Puts E in SLOT with recency USED (as hash_cache_each reported them).
   Returns -1 if SLOT is out of range or not in E's set.  */
int hash_cache_restore (hash_cache *c, size_t slot, uint64_t used, const hash_entry *e);
/* The recency clock: the tick of the last put or touch.  */
uint64_t hash_cache_clock (const hash_cache *c);
void hash_cache_set_clock (hash_cache *c, uint64_t tick);

#endif
