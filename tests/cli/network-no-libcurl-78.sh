#!/usr/bin/env bash
# A network command on a machine where libcurl cannot be loaded: one error line naming the
# library and the loader's reason, exit 78, and no retries. LD_LIBRARY_PATH puts a broken
# libcurl.so.4 first on the search path: an empty file, then another library (zlib).
source "$(dirname "$0")/common.sh"
export LAMTOOL_NHL_API_URL=http://127.0.0.1:9 LAMTOOL_CACHE_DIR=$WORK/cache
mkdir empty notcurl
: >empty/libcurl.so.4
# awk reads to the end: exiting early would kill ldconfig with SIGPIPE, failing the pipe.
zlib=$(ldconfig -p | awk '/libz\.so\.1 .*x86-64/ && !found {print $NF; found = 1}')
[ -n "$zlib" ] || fail "no x86-64 libz.so.1 in the linker cache"
ln -s "$zlib" notcurl/libcurl.so.4

LD_LIBRARY_PATH=$WORK/empty run shotmap --game-id 2024020003 --to map.png
expect_rc 78
expect_one_error_line
expect_err_contains "cannot load 'libcurl.so.4': $WORK/empty/libcurl.so.4: file too short"
expect_err_contains "apt-get install libcurl4"
[ ! -e map.png ] || fail "wrote map.png"

LD_LIBRARY_PATH=$WORK/notcurl run shotmap --game-id 2024020003 --to map.png
expect_rc 78
expect_one_error_line
expect_err_contains "cannot load 'libcurl.so.4': it is not libcurl, it lacks curl_global_init"

# A local job is untouched by the broken library.
LD_LIBRARY_PATH=$WORK/empty run alarm --to out/
expect_rc 0
