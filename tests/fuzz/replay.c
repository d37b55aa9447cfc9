/*
 * replay.c - runs a libFuzzer target without libFuzzer: each file named on
 * the command line, or each file in each folder named, is fed once to
 * LLVMFuzzerTestOneInput. make check builds every target this way and
 * replays its corpus under the sanitizers.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "sys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_file(const char *path)
{
	struct buf b = BUF_INIT;

	if (file_read(path, 64u << 20, &b) < 0) {
		perror(path);
		buf_release(&b);
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)b.data, b.len);
	buf_release(&b);
	return 0;
}

int
main(int argc, char **argv)
{
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *de;

		if (stat(argv[i], &st) < 0) {
			perror(argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			rc |= run_file(argv[i]);
			continue;
		}
		d = opendir(argv[i]);
		while (d && (de = readdir(d)) != NULL) {
			struct buf path = BUF_INIT;

			if (de->d_name[0] == '.')
				continue;
			buf_addf(&path, "%s/%s", argv[i], de->d_name);
			rc |= run_file(path.data);
			buf_release(&path);
		}
		if (d)
			closedir(d);
	}
	return rc;
}
