#!/bin/sh
# verify-lightning.sh: build-time check, as the image's user, that the server starts from the image (native
# sqlite3 included) and asks for a login, then removes what the check wrote to the data directory.
set -eu
cd /usr/src/app
PORT=3999 NODE_ENV=development LIGHTNING_USERNAME=stars LIGHTNING_PASSWORD=build-check \
  /usr/local/lib/stars/verify-server.sh lightning 3999 / 401 120 node server.js
rm -f /data/database.sqlite /data/database.sqlite-journal
