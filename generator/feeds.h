/* feeds.h — Atom feeds (RFC 4287): one per language and one per taxonomy
 * term and language.  They need absolute URLs, so they are written only
 * when the site has a base_url. */
#ifndef HAICHAO_FEEDS_H
#define HAICHAO_FEEDS_H

#include <stdbool.h>

#include "output.h"
#include "site.h"

bool feeds_write(const struct site *s, struct output *o);

#endif
