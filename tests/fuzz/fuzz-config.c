/*
 * fuzz-config.c - feeds bytes to config_parse(), the majlis.conf reader
 * of the command line (engine/cli/config.c, with inih). The library
 * archive holds no CLI objects, so the source is built in here.
 */
#include "cli/config.c"

#include <stdint.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_copy(data, size);
	struct config cfg;
	struct buf err = BUF_INIT;
	enum majlis_status rc;

	memset(&cfg, 0, sizeof(cfg));
	rc = config_parse("majlis.conf", copy, size, &cfg, &err);
	if (rc == MAJLIS_OK) {
		/* the defaults fill what the file leaves out */
		if (!cfg.name || !cfg.domain || !cfg.timezone ||
		    !cfg.structure || err.len)
			abort();
	} else if (!err.len || rc != MAJLIS_ERR_CONFIG) {
		abort();
	}
	config_release(&cfg);
	buf_release(&err);
	free(copy);
	return 0;
}
