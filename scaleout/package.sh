#!/usr/bin/env bash
# Makes the archive that spark-submit ships to every executor with
#   --archives dist/newscluster-scaleout.tar.gz#newscluster
# Usage: scaleout/package.sh BINARY ARCHIVE   (scaleout.mk's scaleout-package calls it)
#
# The archive holds
#   bin/newscluster   the binary (built with --static-swift-stdlib: no Swift runtime needed)
#   lib/              every shared library the binary loads (ldd: direct and indirect) except
#                     glibc's own, copied with symlinks resolved under their soname
#   MANIFEST          what was packed, from where, and the glibc version the binary needs
# newscluster_spark.py runs bin/newscluster with LD_LIBRARY_PATH=<archive>/lib prepended.
#
# Left out: glibc (libc, libm, libpthread, libdl, librt, libresolv, libutil, ld-linux, ...). It
# cannot be shipped safely beside a different loader, and every Linux host has one: the executors
# need glibc >= the version MANIFEST names (that of the build machine, Debian 12: 2.36).
# Kept in: libstdc++ and libgcc_s. They are not glibc, an older executor image may lack the
# GLIBCXX/GCC symbol versions the binary was linked against, and these runtimes are backward
# compatible, so a copy from the build machine is always good for this binary (which is the only
# process that gets the LD_LIBRARY_PATH). They cost about 2.5 MB.
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 BINARY ARCHIVE" >&2
	exit 64
fi
binary=$1
archive=$2
if [ ! -x "$binary" ]; then
	echo "$0: $binary is not an executable file" >&2
	exit 1
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/newscluster-scaleout.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/lib"
install -m 755 "$binary" "$stage/bin/newscluster"

# glibc's libraries (and the vDSO, which is no file): never packed.
is_glibc() {
	case "$1" in
	linux-vdso.so.* | linux-gate.so.* | ld-linux*.so.* | ld64.so.* | \
		libc.so.* | libm.so.* | libmvec.so.* | libpthread.so.* | libdl.so.* | librt.so.* | \
		libresolv.so.* | libutil.so.* | libnsl.so.* | libanl.so.* | libcrypt.so.* | \
		libBrokenLocale.so.* | libnss_*.so.* | libthread_db.so.* | libc_malloc_debug.so.*)
		return 0 ;;
	esac
	return 1
}

{
	echo "newscluster scale-out archive"
	echo "binary: $binary"
	echo "built on: $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") $(uname -m)"
} >"$stage/MANIFEST"

if ldd_out=$(ldd "$binary" 2>&1); then
	# Lines: "libfoo.so.1 => /path/libfoo.so.1 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)".
	while read -r name arrow path _; do
		[ "$arrow" = "=>" ] || continue
		if is_glibc "$name"; then
			continue
		fi
		if [ "$path" = "not" ]; then
			echo "$0: $binary needs $name, which ldd cannot find here" >&2
			exit 1
		fi
		# Debian's libopenblas.so.0 is an alternatives symlink chain: copy the file it ends at.
		cp -L "$path" "$stage/lib/$name"
		chmod 644 "$stage/lib/$name"
		echo "lib/$name <- $(readlink -f "$path")" >>"$stage/MANIFEST"
	done <<<"$ldd_out"
	needs=$(objdump -T "$binary" "$stage"/lib/* 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1 || true)
	echo "needs glibc: ${needs#GLIBC_} or newer" >>"$stage/MANIFEST"
else
	# A script (the development fake) or a static binary: nothing to add.
	echo "ldd: ${ldd_out}" | head -n 1 >>"$stage/MANIFEST"
fi

mkdir -p "$(dirname "$archive")"
# Reproducible: same inputs, same bytes (names sorted, times and owners fixed, gzip without a name/time).
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$stage" -cf - MANIFEST bin lib \
	| gzip -n -6 >"$archive.partial"
mv "$archive.partial" "$archive"
echo "wrote $archive ($(du -h "$archive" | cut -f1)):"
sed 's/^/  /' "$stage/MANIFEST"
