#!/bin/sh
# tree-sha256.sh DIR: one checksum of a source tree's file paths and contents, independent of how the tree was
# packed (the catalog records it for a git commit; the build recomputes it over the downloaded archive).
set -eu
cd "${1:?usage: tree-sha256.sh DIR}"
find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2 | sha256sum | cut -d' ' -f1
