#!/usr/bin/env bash
# The README's pictures (make pictures): the demo database built or updated (scripts/demo.sh,
# not served), served by Odoo on 127.0.0.1:$CREDIT_PICTURES_PORT (default 18090) while
# scripts/pictures.py takes the main screens with headless Chromium into docs/ (Odoo 18.0)
# or docs/19.0/ (ODOO_SERIES=19.0).
. "$(dirname "$0")/common.sh"
DB=${CREDIT_DEMO_DB:-credit_demo}
PORT=${CREDIT_PICTURES_PORT:-18090}
CREDIT_DEMO_NO_SERVE=1 "$REPO/scripts/demo.sh"
load_db_env
write_odoo_conf
LOG=$RUN_DIR/pictures-odoo.log
log "serving $DB on 127.0.0.1:$PORT for the pictures (log: $LOG)"
"$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" --http-port "$PORT" --gevent-port "$((PORT + 1))" \
    --max-cron-threads 0 --log-level=warn --logfile "$LOG" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null' EXIT
for _ in $(seq 120); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/web/health" 2>/dev/null && break
    sleep 0.5
done
"$PY" "$REPO/scripts/pictures.py" --url "http://127.0.0.1:$PORT" --db "$DB" --out "$REPO/docs${SERIES_SUFFIX:+/$ODOO_SERIES}"
