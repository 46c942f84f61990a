#!/bin/sh
# Sourced by Spark's load-spark-env.sh before every Spark JVM of the Stars Spark image whose SPARK_CONF_DIR is
# the image's own (the drivers the dispatcher launches; Livy and Zeppelin export LIBPROCESS_IP themselves).
# libmesos in a driver advertises LIBPROCESS_IP to the Mesos master, which calls the driver back there; unset,
# it is whatever the host name resolves to (127.0.1.1 on Debian). The address this host reaches the first
# answering master from is the one the masters can reach it at. STARS_MESOS_MASTERS: space-separated addresses.
if [ -z "${LIBPROCESS_IP:-}" ] && [ -n "${STARS_MESOS_MASTERS:-}" ]; then
  # A UDP connect sends nothing; it only asks the kernel which source address the route uses.
  # shellcheck disable=SC2086 # one argument per address
  if stars_libprocess_ip="$(python3 -c '
import socket, sys
for master in sys.argv[1:]:
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.connect((master, 5050))
        print(s.getsockname()[0])
        break
    except OSError:
        continue
else:
    sys.exit(1)
' $STARS_MESOS_MASTERS)"; then
    LIBPROCESS_IP="$stars_libprocess_ip"
    export LIBPROCESS_IP
  else
    echo "stars spark-env.sh: no route to any of the Mesos masters ($STARS_MESOS_MASTERS); LIBPROCESS_IP left unset" >&2
  fi
  unset stars_libprocess_ip
fi
