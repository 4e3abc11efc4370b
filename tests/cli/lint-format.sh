#!/usr/bin/env bash
# Our C++ sources are formatted with the project's .clang-format (Debian's clang-format 14).
set -euo pipefail
cd "$LAMTOOL_SOURCE_DIR"
files=$(git ls-files '*.cc' '*.h' 2>/dev/null || find src include cli tests -name '*.cc' -o -name '*.h')
clang-format --dry-run -Werror $files
