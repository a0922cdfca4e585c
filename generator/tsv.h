/* tsv.h — the plain-text indexes people grep: index.tsv (one row per
 * article page) and glossary.tsv (one row per term). */
#ifndef HAICHAO_TSV_H
#define HAICHAO_TSV_H

#include "buf.h"
#include "site.h"

/* index.tsv's first line; it also marks a folder haichao published. */
#define TSV_INDEX_HEADER "date\tlang\tslug\turl\ttitle\tcompanies\tapps\tthemes\n"

void tsv_index(const struct site *s, struct buf *out);
/* uses[i]: how many articles use glossary term i. */
void tsv_glossary(const struct site *s, const size_t *uses, struct buf *out);

#endif
