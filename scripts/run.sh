#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run.sh: serve the fixtures (or DB=FILE) on 127.0.0.1:$PORT in the foreground.
exec /usr/bin/python3 "$(dirname "$0")/newsevent_httpd.py" ${PORT:+--port "$PORT"} ${DB:+--db "$DB"} ${STORE:+--store "$STORE"}
