#!/bin/bash
# install-sparkmagic.sh: installs sparkmagic and the two packages it is released with, at SPARKMAGIC_VERSION,
# from the package index PIP_INDEX_URL (pip reads it), then its PySpark and Spark kernels and its server
# extension into the image's own environment, so the notebook server starts without installing anything.
set -euo pipefail
fail() {
  printf 'stars jupyter image: %s\n' "$*" >&2
  exit 1
}
[[ "${SPARKMAGIC_VERSION:-}" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "build argument SPARKMAGIC_VERSION is not a version"
[ -n "${PIP_INDEX_URL:-}" ] || fail "build argument PIP_INDEX_URL is not set"
pip install --no-cache-dir \
  "autovizwidget==${SPARKMAGIC_VERSION}" \
  "hdijupyterutils==${SPARKMAGIC_VERSION}" \
  "sparkmagic==${SPARKMAGIC_VERSION}"
location="$(pip show sparkmagic | sed -n 's/^Location: //p')"
[ -d "$location/sparkmagic/kernels" ] || fail "sparkmagic ${SPARKMAGIC_VERSION} has no kernels under $location"
for kernel in pysparkkernel sparkkernel; do
  jupyter-kernelspec install --sys-prefix "$location/sparkmagic/kernels/$kernel"
done
jupyter server extension enable --py sparkmagic --sys-prefix
