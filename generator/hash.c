/* hash.c — see hash.h. */
#include "hash.h"

#include <string.h>

/* Eight bytes at a time, on four independent lanes (the rounds of
 * xxHash64): page values run to megabytes, and FNV-1a's byte-at-a-time
 * chain of multiplies took a tenth of a build. */
#define PRIME1 0x9E3779B185EBCA87ULL
#define PRIME2 0xC2B2AE3D27D4EB4FULL

static inline uint64_t
rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t
mix(uint64_t acc, uint64_t word)
{
	return rotl64(acc + word * PRIME2, 31) * PRIME1;
}

uint64_t
hash_bytes(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t w[4];
	if (len >= 32) {
		uint64_t lane[4] = { h + PRIME1, h ^ PRIME2, h, h - PRIME1 };
		for (; len >= 32; p += 32, len -= 32) {
			memcpy(w, p, 32);
			for (int i = 0; i < 4; i++)
				lane[i] = mix(lane[i], w[i]);
		}
		h = rotl64(lane[0], 1) + rotl64(lane[1], 7) +
		    rotl64(lane[2], 12) + rotl64(lane[3], 18);
	}
	for (; len >= 8; p += 8, len -= 8) {
		memcpy(w, p, 8);
		h = mix(h, w[0]);
	}
	w[0] = 0;
	memcpy(w, p, len);
	return mix(h ^ len, w[0]);
}

uint64_t
hash_str(uint64_t h, const char *s)
{
	if (s == NULL)
		return hash_u64(h, 0x6E756C6CULL);   /* "null" */
	size_t len = strlen(s);
	return hash_bytes(hash_u64(h, len), s, len);
}

uint64_t
hash_u64(uint64_t h, uint64_t v)
{
	return mix(h ^ 0x2545F4914F6CDD1DULL, v);
}
