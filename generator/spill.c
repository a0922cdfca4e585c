/* spill.c — see spill.h. */
#define _GNU_SOURCE   /* fallocate and its hole punching (Linux) */
#include "spill.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"

bool
spill_open(struct spill *sp, const char *near, size_t n_slots)
{
	sp->fd = -1;
	sp->n_slots = n_slots;
	sp->slots = xmalloc((n_slots ? n_slots : 1) * sizeof(*sp->slots));
	for (size_t i = 0; i < n_slots; i++)
		sp->slots[i] = (struct spill_range){ -1, 0 };
	atomic_init(&sp->end, 0);
	atomic_init(&sp->failed, false);
	struct buf path = BUF_INIT;
	const char *slash = strrchr(near, '/');
	if (slash != NULL)
		buf_add(&path, near, (size_t)(slash - near + 1));
	buf_printf(&path, ".haichao-html-%ld-XXXXXX", (long)getpid());
	int fd = mkstemp(path.data);
	if (fd >= 0)
		unlink(path.data);
	buf_release(&path);
	sp->fd = fd;
	struct stat st;
	sp->block = fd >= 0 && fstat(fd, &st) == 0 && st.st_blksize > 0 &&
	    (st.st_blksize & (st.st_blksize - 1)) == 0 ? (unsigned long long)st.st_blksize
	    : 4096;
	if (fd < 0) {
		free(sp->slots);
		sp->slots = NULL;
		sp->n_slots = 0;
	}
	return fd >= 0;
}

/* Where a stored range's space ends: each starts on a block of its own,
 * so that dropping it frees every block it used (a hole is punched in
 * whole blocks only; a block shared with the next range would stay). */
static unsigned long long
reserved(const struct spill *sp, size_t len)
{
	return ((unsigned long long)len + sp->block - 1) & ~(sp->block - 1);
}

bool
spill_put(struct spill *sp, size_t slot, const char *data, size_t len)
{
	if (sp->fd < 0 || slot >= sp->n_slots || atomic_load(&sp->failed))
		return false;
	unsigned long long off = atomic_fetch_add(&sp->end, reserved(sp, len));
	size_t done = 0;
	while (done < len) {
		ssize_t n = pwrite(sp->fd, data + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			atomic_store(&sp->failed, true);
			return false;
		}
		done += (size_t)n;
	}
	sp->slots[slot] = (struct spill_range){ (long long)off, len };
	return true;
}

bool
spill_has(const struct spill *sp, size_t slot)
{
	return slot < sp->n_slots && sp->slots[slot].off >= 0;
}

char *
spill_get(struct spill *sp, size_t slot, struct arena *a)
{
	if (!spill_has(sp, slot))
		return NULL;
	long long off = sp->slots[slot].off;
	size_t len = sp->slots[slot].len;
	char *out = arena_alloc_uninit(a, len + 1);   /* every byte is read into */
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(sp->fd, out + done, len - done, (off_t)off + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		done += (size_t)n;
	}
	out[len] = '\0';
	return out;
}

void
spill_drop(struct spill *sp, size_t slot)
{
	if (!spill_has(sp, slot))
		return;
#if defined(FALLOC_FL_PUNCH_HOLE) && defined(FALLOC_FL_KEEP_SIZE)
	if (sp->fd >= 0 && sp->slots[slot].len > 0)
		(void)fallocate(sp->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		    (off_t)sp->slots[slot].off, (off_t)reserved(sp, sp->slots[slot].len));
#endif
}

void
spill_close(struct spill *sp)
{
	if (sp->fd >= 0)
		close(sp->fd);
	sp->fd = -1;
	free(sp->slots);
	sp->slots = NULL;
	sp->n_slots = 0;
}
