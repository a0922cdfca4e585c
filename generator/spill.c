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

#include "buf.h"

bool
spill_open(struct spill *sp, const char *near)
{
	sp->fd = -1;
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

long long
spill_put(struct spill *sp, const char *data, size_t len)
{
	if (sp->fd < 0 || atomic_load(&sp->failed))
		return -1;
	unsigned long long off = atomic_fetch_add(&sp->end, reserved(sp, len));
	size_t done = 0;
	while (done < len) {
		ssize_t n = pwrite(sp->fd, data + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			atomic_store(&sp->failed, true);
			return -1;
		}
		done += (size_t)n;
	}
	return (long long)off;
}

char *
spill_get(struct spill *sp, long long off, size_t len, struct arena *a)
{
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
spill_drop(struct spill *sp, long long off, size_t len)
{
#if defined(FALLOC_FL_PUNCH_HOLE) && defined(FALLOC_FL_KEEP_SIZE)
	if (sp->fd >= 0 && off >= 0 && len > 0)
		(void)fallocate(sp->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		    (off_t)off, (off_t)reserved(sp, len));
#else
	(void)sp;
	(void)off;
	(void)len;
#endif
}

void
spill_close(struct spill *sp)
{
	if (sp->fd >= 0)
		close(sp->fd);
	sp->fd = -1;
}
