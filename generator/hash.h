/* hash.h — a fast 64-bit hash for change detection: of page values (has
 * a page changed since the last build?) and of what a page is made from
 * (need it be built at all?).  Not for adversaries: a collision would
 * only keep a page that changed, and honest content does not collide in
 * 64 bits.  Values depend on the machine's byte order, which is fine for
 * a cache that stays on one machine. */
#ifndef HAICHAO_HASH_H
#define HAICHAO_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_SEED 0x9E3779B97F4A7C15ULL

/* Continues hash `h` over len bytes. */
uint64_t hash_bytes(uint64_t h, const void *data, size_t len);
/* Continues `h` over a string and its length (NULL hashes unlike ""). */
uint64_t hash_str(uint64_t h, const char *s);
/* Continues `h` over one number. */
uint64_t hash_u64(uint64_t h, uint64_t v);

#endif
