#!/bin/sh
# select-libmesos.sh CLOSURE DIR: puts libmesos into DIR with the fewest libraries from CLOSURE that make it
# load in this image: those this image has no library of that name for, then, round by round, those whose
# version here lacks a symbol version libmesos needs (libcurl of another release, for one). Fewer foreign
# libraries on LD_LIBRARY_PATH means less risk for the image's own programs, which the image build checks.
set -eu
closure="${1:?usage: select-libmesos.sh CLOSURE DIR}"
out="${2:?usage: select-libmesos.sh CLOSURE DIR}"
mkdir -p "$out"
cp "$closure/libmesos.so" "$out/libmesos.so"
if [ -d "$closure/sasl2" ]; then cp -R "$closure/sasl2" "$out/"; fi
for lib in "$closure"/lib*.so*; do
  name="$(basename "$lib")"
  [ "$name" = libmesos.so ] && continue
  ldconfig -p | grep -q "^[[:space:]]*$name " || cp "$lib" "$out/$name"
done

# Libraries ldd reports as absent or short of a required symbol version, by file name.
short_of() {
  LD_LIBRARY_PATH="$out" ldd -r "$out/libmesos.so" 2>&1 |
    sed -n -e 's|^[[:space:]]*\([^:[:space:]]*\): version .* not found .*|\1|p' \
      -e 's|^[[:space:]]*\([^[:space:]]*\) => not found.*|\1|p' |
    while read -r path; do basename "$path"; done | sort -u
}

rounds=0
while [ "$rounds" -lt 16 ]; do
  rounds=$((rounds + 1))
  added=no
  for name in $(short_of); do
    if [ -f "$closure/$name" ] && [ ! -e "$out/$name" ]; then
      cp "$closure/$name" "$out/$name"
      added=yes
    fi
  done
  [ "$added" = yes ] || break
done
if ! report="$(LD_LIBRARY_PATH="$out" ldd -r "$out/libmesos.so" 2>&1)" ||
  printf '%s\n' "$report" | grep -Eq 'not found|undefined symbol|not a dynamic'; then
  printf '%s\n' "$report" >&2
  echo "select-libmesos.sh: libmesos does not load in this image with the libraries in $out" >&2
  exit 1
fi
ls "$out" >"$out/MANIFEST"
