#!/bin/sh
# verify-livy.sh: build-time check, as the image's user, that the Livy server starts on this image's Spark and
# Java with a configuration in a directory of its own (as the app's is, in the task's sandbox).
set -eu
conf="$(mktemp -d)"
printf '%s\n' 'livy.server.host = 127.0.0.1' 'livy.server.port = 8998' 'livy.spark.master = local' >"$conf/livy.conf"
LIVY_CONF_DIR="$conf" LIVY_LOG_DIR="$conf" SPARK_HOME=/opt/spark \
  /usr/local/lib/stars/verify-server.sh livy 8998 /sessions 200 180 /opt/livy/bin/livy-server
rm -rf "$conf"
