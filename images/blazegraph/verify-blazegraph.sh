#!/bin/sh
# verify-blazegraph.sh: build-time check, as the image's user, that the jar starts its SPARQL server on this JRE
# with a journal like the app's, then removes the check's journal.
set -eu
work="$(mktemp -d)"
printf '%s\n' "com.bigdata.journal.AbstractJournal.file=$work/blazegraph.jnl" \
  'com.bigdata.journal.AbstractJournal.bufferMode=DiskRW' >"$work/RWStore.properties"
/usr/local/lib/stars/verify-server.sh blazegraph 9999 /blazegraph/status 200 180 \
  java -Xmx256m -Djetty.port=9999 "-Dbigdata.propertyFile=$work/RWStore.properties" \
  -jar /opt/blazegraph/blazegraph.jar
rm -rf "$work"
