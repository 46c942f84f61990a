#!/bin/bash
# verify-jupyter.sh: build-time check, as the image's user, that sparkmagic's kernels are installed and that the
# notebook server starts with its extension.
set -euo pipefail
fail() {
  printf 'stars jupyter image: %s\n' "$*" >&2
  exit 1
}
kernels="$(jupyter kernelspec list --json)"
for kernel in pysparkkernel sparkkernel; do
  grep -q "\"$kernel\"" <<<"$kernels" || fail "kernel $kernel is not installed"
done
python -c 'import sparkmagic.kernels.pysparkkernel.pysparkkernel' || fail "the PySpark kernel does not import"
work="$(mktemp -d)"
/usr/local/lib/stars/verify-server.sh jupyter 8999 /api 200 120 \
  start-notebook.py --ServerApp.ip=127.0.0.1 --ServerApp.port=8999 "--ServerApp.root_dir=$work"
rm -rf "$work"
