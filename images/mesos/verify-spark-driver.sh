#!/bin/sh
# verify-spark-driver.sh SPARK_HOME: build-time check of an image that runs Spark drivers on Mesos (Stars
# spark and zeppelin images). Fails the build, naming what is wrong, if libmesos does not load here or if the
# libraries it brings break this image's own Java or Python.
set -eu
spark_home="${1:?usage: verify-spark-driver.sh SPARK_HOME}"
fail() {
  printf 'stars image: %s\n' "$*" >&2
  exit 1
}
[ -x "$spark_home/bin/spark-class" ] || fail "$spark_home/bin/spark-class is missing"
[ -f /opt/mesos/lib/libmesos.so ] || fail "/opt/mesos/lib/libmesos.so is missing"
command -v setpriv >/dev/null 2>&1 || fail "setpriv (util-linux) is missing; stars-run needs it"
[ -x /usr/local/lib/stars/stars-run ] || fail "/usr/local/lib/stars/stars-run is missing"
export LD_LIBRARY_PATH=/opt/mesos/lib SASL_PATH=/opt/mesos/lib/sasl2
if ! report="$(ldd -r /opt/mesos/lib/libmesos.so 2>&1)" ||
  printf '%s\n' "$report" | grep -Eq 'not found|undefined symbol|not a dynamic'; then
  fail "libmesos does not load with LD_LIBRARY_PATH=/opt/mesos/lib: $report"
fi
java -version >/dev/null 2>&1 || fail "java does not start with LD_LIBRARY_PATH=/opt/mesos/lib"
if command -v python3 >/dev/null 2>&1; then
  python3 -c 'import ssl, sqlite3, zlib' || fail "python3 breaks with LD_LIBRARY_PATH=/opt/mesos/lib"
fi
printf 'stars image: libmesos loads with %s\n' "$(tr '\n' ' ' </opt/mesos/lib/MANIFEST)"
