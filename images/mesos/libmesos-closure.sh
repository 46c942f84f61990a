#!/bin/sh
# libmesos-closure.sh DIR: copies libmesos (as libmesos.so) and every shared library it loads, except the C
# library and the C++ runtime (newer ones stay compatible), plus the Cyrus SASL plugins, into DIR. Images of
# other distributions take from DIR only what their own libraries cannot satisfy (select-libmesos.sh).
set -eu
out="${1:?usage: libmesos-closure.sh DIR}"
libmesos="${LIBMESOS:-}"
if [ -z "$libmesos" ]; then
  for candidate in /usr/lib/libmesos-*.so /usr/local/lib/libmesos-*.so; do
    [ -f "$candidate" ] && libmesos="$candidate" && break
  done
fi
if [ -z "$libmesos" ] || [ ! -f "$libmesos" ]; then
  echo "libmesos-closure.sh: no libmesos found" >&2
  exit 1
fi
mkdir -p "$out/sasl2"
cp -L "$libmesos" "$out/libmesos.so"
ldd "$libmesos" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' | while read -r soname path; do
  case "$soname" in
    libc.so.* | libm.so.* | libdl.so.* | libpthread.so.* | librt.so.* | libresolv.so.* | ld-linux*) ;;
    libstdc++.so.* | libgcc_s.so.*) ;;
    *) cp -L "$path" "$out/$soname" ;;
  esac
done
for dir in /usr/lib/*/sasl2 /usr/lib/sasl2; do
  for plugin in "$dir"/*.so*; do
    if [ -f "$plugin" ]; then cp -L "$plugin" "$out/sasl2/"; fi
  done
done
ls "$out" >"$out/MANIFEST"
