#!/usr/bin/env bash
# The demo's smoke test (a CI step, after the README's test command): the demo built anew on
# a database, a mailbox and an SMS gateway of its own (ports apart from make demo's), then its
# counts checked by scripts/demo_check.py: reminders sent and in the mailbox, none in error,
# the SMS in the mailbox, the notes in French, the logo, the ECB rates, the payment links
# leading to where the demo is served, the PDFs printed with their stylesheets. Everything
# it started is stopped and its database dropped at the end.
. "$(dirname "$0")/common.sh"
export CREDIT_DEMO_DB=${CREDIT_SMOKE_DB:-credit_demo_smoke${SERIES_SUFFIX:+_${ODOO_SERIES%%.*}}}
export CREDIT_DEMO_NO_SERVE=1 CREDIT_DEMO_RESET=1
export CREDIT_MAIL_SMTP_PORT=${CREDIT_SMOKE_SMTP_PORT:-18025}
export CREDIT_MAIL_HTTP_PORT=${CREDIT_SMOKE_MAIL_PORT:-18080}
export CREDIT_SMS_PORT=${CREDIT_SMOKE_SMS_PORT:-18081}
export CREDIT_HTTP_PORT=${CREDIT_SMOKE_HTTP_PORT:-18569}
cleanup() {
    "$CM_HOME/mailbox-venv/bin/maildump" --stop -p "$RUN_DIR/maildump-$CREDIT_MAIL_HTTP_PORT.pid" \
        >/dev/null 2>&1 || true
    [ -f "$RUN_DIR/sms-gateway-$CREDIT_SMS_PORT.pid" ] &&
        kill "$(cat "$RUN_DIR/sms-gateway-$CREDIT_SMS_PORT.pid")" 2>/dev/null
    dropdb --if-exists "$CREDIT_DEMO_DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT
log "demo smoke test: building the demo on $CREDIT_DEMO_DB"
"$REPO/scripts/demo.sh"
load_db_env
write_odoo_conf
log "demo smoke test: its counts"
"$PY" "$REPO/scripts/demo_check.py" -c "$ODOO_CONF" -d "$CREDIT_DEMO_DB" \
    --mailbox "http://127.0.0.1:$CREDIT_MAIL_HTTP_PORT" --url "http://localhost:$CREDIT_HTTP_PORT"
