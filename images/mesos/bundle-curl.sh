#!/bin/sh
# bundle-curl.sh DIR [AT]: copies curl, every shared library it loads (the C library included) and their dynamic
# loader into DIR, with DIR/bin/curl running curl through that loader from AT, where the bundle will live
# (default DIR). Mesos runs `curl` from the executor's
# PATH for every MESOS_HTTP health check (apache/mesos 1.10.0 src/checks/checker_process.cpp:92,1005-1019),
# and the Docker executors run in the Stars Mesos image, whose Debian 9 base has libcurl but no curl and a C
# library older than a current curl needs; the bundle brings its own, so nothing of the image is replaced.
set -eu
out="${1:?usage: bundle-curl.sh DIR [AT]}"
at="${2:-$out}"
fail() {
  printf 'bundle-curl.sh: %s\n' "$*" >&2
  exit 1
}
curl="$(command -v curl)" || fail "no curl in the image the bundle is taken from"
mkdir -p "$out/lib" "$out/bin"
cp -L "$curl" "$out/curl"
loader=""
report="$(ldd "$curl")" || fail "ldd cannot read $curl"
for path in $(printf '%s\n' "$report" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
  case "$path" in
    */ld-linux*) loader="$path" ;;
    *) cp -L "$path" "$out/lib/" ;;
  esac
done
[ -n "$loader" ] || fail "no dynamic loader in ldd's report for $curl"
cp -L "$loader" "$out/lib/ld.so"
# Name look-ups (a check of localhost) load these through the C library, not through ldd's list.
for dir in /lib/*-linux-gnu /usr/lib/*-linux-gnu /lib64 /usr/lib64; do
  for nss in "$dir"/libnss_files.so.2 "$dir"/libnss_dns.so.2; do
    if [ -f "$nss" ]; then cp -L "$nss" "$out/lib/"; fi
  done
done
cat >"$out/bin/curl" <<WRAPPER
#!/bin/sh
exec $at/lib/ld.so --library-path $at/lib $at/curl "\$@"
WRAPPER
chmod 0755 "$out/bin/curl" "$out/curl" "$out/lib/ld.so"
"$out/lib/ld.so" --library-path "$out/lib" "$out/curl" --version >/dev/null || fail "the bundled curl does not run"
ls "$out/lib" >"$out/MANIFEST"
