#!/usr/bin/env bash
# The product (make demo): a French demo database with our addons and realistic data, served
# by Odoo (ODOO_SERIES: 18.0 by default, or 19.0) on http://127.0.0.1:8069, and a mailbox that catches everything the demo sends
# (maildump: SMTP on 127.0.0.1:1025, its web page on http://127.0.0.1:1080). Idempotent: an
# existing demo database is reused (CREDIT_DEMO_RESET=1 builds it anew).
# Its SMS go to a gateway on 127.0.0.1:1081 that plays Odoo's SMS service and puts each SMS
# in the mailbox too (scripts/demo_sms_gateway.py).
# CREDIT_MAIL_SMTP_PORT / CREDIT_MAIL_HTTP_PORT move the mailbox, CREDIT_SMS_PORT the gateway;
# CREDIT_DEMO_NO_SERVE=1 builds the database, leaves the mailbox running and serves nothing.
. "$(dirname "$0")/common.sh"
"$REPO/scripts/setup.sh"
load_db_env
write_odoo_conf
DB=${CREDIT_DEMO_DB:-credit_demo}
# Our addons, and Odoo's demo payment provider so that the reminders' payment links can be paid.
OURS=$(cd "$REPO" && ls -d */__manifest__.py | xargs -n1 dirname | paste -sd, -)
ADDONS=$OURS,payment_demo
MAIL_VENV=$CM_HOME/mailbox-venv
MAIL_SMTP_PORT=${CREDIT_MAIL_SMTP_PORT:-1025}
MAIL_HTTP_PORT=${CREDIT_MAIL_HTTP_PORT:-1080}
MAIL_URL=http://127.0.0.1:$MAIL_HTTP_PORT
MAIL_PID=$RUN_DIR/maildump-$MAIL_HTTP_PORT.pid
SMS_PORT=${CREDIT_SMS_PORT:-1081}
SMS_PID=$RUN_DIR/sms-gateway-$SMS_PORT.pid

# The mailbox: maildump from PyPI in a virtualenv of its own (its Flask and gevent stay apart
# from Odoo's pinned packages), run as a daemon; one already answering on its port is reused.
start_mailbox() {
    if [ ! -x "$MAIL_VENV/bin/maildump" ]; then
        log "installing the demo's mailbox (maildump) in $MAIL_VENV"
        python3 -m venv "$MAIL_VENV"
        "$MAIL_VENV/bin/pip" install -q "maildump==1.0" >"$RUN_DIR/mailbox-pip.log" 2>&1 ||
            die "maildump could not be installed (log: $RUN_DIR/mailbox-pip.log)"
    fi
    curl -fsS -o /dev/null "$MAIL_URL/messages/" 2>/dev/null && return 0
    log "starting the demo's mailbox on $MAIL_URL (SMTP 127.0.0.1:$MAIL_SMTP_PORT)"
    "$MAIL_VENV/bin/maildump" --smtp-ip 127.0.0.1 --smtp-port "$MAIL_SMTP_PORT" \
        --http-ip 127.0.0.1 --http-port "$MAIL_HTTP_PORT" --db "$RUN_DIR/mailbox-$DB.sqlite" \
        --pidfile "$MAIL_PID" >"$RUN_DIR/mailbox.log" 2>&1
    for _ in $(seq 50); do
        curl -fsS -o /dev/null "$MAIL_URL/messages/" 2>/dev/null && return 0
        sleep 0.2
    done
    die "the mailbox did not start (log: $RUN_DIR/mailbox.log)"
}
start_mailbox
# The SMS gateway (the standard library only), as a daemon; one already answering is reused.
start_sms_gateway() {
    curl -sS -o /dev/null -X POST "http://127.0.0.1:$SMS_PORT/" 2>/dev/null && return 0
    log "starting the demo's SMS gateway on http://127.0.0.1:$SMS_PORT"
    setsid python3 "$REPO/scripts/demo_sms_gateway.py" --port "$SMS_PORT" \
        --smtp-port "$MAIL_SMTP_PORT" --pidfile "$SMS_PID" >"$RUN_DIR/sms-gateway.log" 2>&1 &
    for _ in $(seq 50); do
        curl -sS -o /dev/null -X POST "http://127.0.0.1:$SMS_PORT/" 2>/dev/null && return 0
        sleep 0.2
    done
    die "the SMS gateway did not start (log: $RUN_DIR/sms-gateway.log)"
}
start_sms_gateway
# A database built anew starts with an empty mailbox.
[ -n "${CREDIT_DEMO_RESET:-}" ] && curl -fsS -o /dev/null -X DELETE "$MAIL_URL/messages/"
point_mail_server() {
    "$PY" "$REPO/scripts/demo_mailbox.py" -c "$ODOO_CONF" -d "$DB" server --port "$MAIL_SMTP_PORT" \
        --sms-port "$SMS_PORT"
}
# The PDFs made while the addons install (no HTTP server then: wkhtmltopdf finds none of the
# reports' stylesheets) printed again with Odoo serving the database for a moment, without
# its scheduled actions (scripts/demo_pdfs.py).
print_pdfs() {
    local url=http://127.0.0.1:$HTTP_PORT server_log=$RUN_DIR/demo-pdfs-$DB.log pid
    curl -fsS -o /dev/null "$url/web/health" 2>/dev/null &&
        die "port $HTTP_PORT is taken: stop what serves $url or set CREDIT_HTTP_PORT"
    log "printing the demo's letters and packs with their stylesheets (Odoo on $url)"
    "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" --db-filter="^$DB\$" --http-port="$HTTP_PORT" \
        --max-cron-threads=0 --log-level=warn >"$server_log" 2>&1 &
    pid=$!
    # Ready once the database is loaded and one static file served: Odoo reads every
    # manifest on the first static request, and wkhtmltopdf's parallel first requests doing
    # it at once get a 500 (Python 3.11 compiles them unsafely across threads).
    for _ in $(seq 240); do
        curl -fsS -o /dev/null "$url/web/health" 2>/dev/null &&
            curl -fsS -o /dev/null "$url/web/login" 2>/dev/null &&
            curl -fsS -o /dev/null "$url/web/static/img/favicon.ico" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || die "Odoo did not start (log: $server_log)"
        sleep 0.5
    done
    local rc=0
    "$PY" "$REPO/scripts/demo_pdfs.py" -c "$ODOO_CONF" -d "$DB" --url "$url" || rc=$?
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    [ "$rc" = 0 ] || die "the demo's PDFs could not be printed again (Odoo's log: $server_log)"
}
[ -n "${CREDIT_DEMO_RESET:-}" ] && dropdb --if-exists "$DB"
if ! psql -Atqc "select 1 from pg_database where datname='$DB'" postgres | grep -q 1; then
    log "creating demo database $DB (French company, demo data)"
    # Odoo's own database creation, as the database manager does it: French company, chart
    # of accounts and language, demo data loaded.
    "$PY" - "$ODOO_CONF" "$DB" <<'PYEOF'
import sys
import odoo.service.db
from odoo.tools import config
config.parse_config(["-c", sys.argv[1], "--log-level=warn"])
odoo.service.db.exp_create_database(sys.argv[2], True, "fr_FR", "admin", "admin", "FR", "")
PYEOF
    # The mailbox before anything else: Odoo notifies during the installation already.
    point_mail_server
    # Accounting first: it brings the French chart of accounts (l10n_fr), which the demo
    # invoices of our addons need.
    "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i account --stop-after-init --log-level=warn
    # The company's chart is the French one, in euros. 18.0's accounting demo gives the
    # generic chart only to American companies or companies of no country; 19.0's gives it to
    # the main company whatever its country (in dollars): loaded again with the French chart
    # and its demo (Odoo empties the company's accounting first), as a French user would.
    PYTHONPATH="$REPO/scripts" "$PY" - "$ODOO_CONF" "$DB" <<'PYEOF'
import sys

import odoo_boot  # noqa: F401

from odoo import api
from odoo.api import SUPERUSER_ID
from odoo.modules.registry import Registry
from odoo.tools import config

config.parse_config(["-c", sys.argv[1], "--log-level=warn"])
with Registry(sys.argv[2]).cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    company = env.ref("base.main_company")
    if company.chart_template != "fr":
        env["account.chart.template"].try_loading("fr", company, install_demo=True)
    print(f"  chart of accounts of {company.name}: {company.chart_template}, {company.currency_id.name}")
PYEOF
    "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i "$ADDONS" --stop-after-init --log-level=warn
    # Its letters and packs printed again, Odoo serving their stylesheets this time, before
    # the emails that carry them leave.
    print_pdfs
else
    point_mail_server
    log "updating our addons in $DB"
    # payment_demo and any addon of ours an older demo database lacks installed (with its
    # demo); the others updated. Only those it lacks: Odoo loads the data of an addon named
    # by -i as on a new database (its noupdate records written again: the demo company's
    # trusted bank account refuses it, and the demo data of the addon is dropped).
    MISSING=$(psql -Atqc "select string_agg(name, ',') from unnest(string_to_array(
        'payment_demo,$OURS', ',')) name where name not in (select name from ir_module_module
        where state = 'installed')" "$DB")
    "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" ${MISSING:+-i "$MISSING"} -u "$OURS" --stop-after-init \
        --log-level=warn
    # The demo's steps an older demo database lacks (the customers' replies to their
    # reminders), played once: Odoo does not run a demo file's functions again on an update.
    PYTHONPATH="$REPO/scripts" "$PY" - "$ODOO_CONF" "$DB" <<'PYEOF'
import sys

import odoo_boot  # noqa: F401

from odoo import api
from odoo.api import SUPERUSER_ID
from odoo.modules.registry import Registry
from odoo.tools import config

config.parse_config(["-c", sys.argv[1], "--log-level=warn"])
with Registry(sys.argv[2]).cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    if env["ir.module.module"]._get("credit_management").demo:
        before = env["credit.reply"].search_count([])
        env["account.chart.template"]._credit_demo_load()
        print(f"  replies to reminders: {env['credit.reply'].search_count([]) - before} new")
PYEOF
fi
# Everything queued by the demo sent now, served or not; the reminders counted.
"$PY" "$REPO/scripts/demo_mailbox.py" -c "$ODOO_CONF" -d "$DB" flush
cat <<MSG

  Odoo $ODOO_SERIES with credit management: http://127.0.0.1:$HTTP_PORT/odoo?db=$DB
  Credit manager: login admin / password admin
  Sales rep:      login sales / password sales
  Collector:      login collector / password collector
  Customer portal: login client / password client (Boulangeries Fournier & Fils)
  Mailbox (everything the demo sends, its SMS too): $MAIL_URL
  (Ctrl-C stops the server; the mailbox and the SMS gateway keep running:
   $MAIL_VENV/bin/maildump --stop -p $MAIL_PID and kill \$(cat $SMS_PID) stop them)

MSG
[ -n "${CREDIT_DEMO_NO_SERVE:-}" ] && exit 0
exec "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" --db-filter="^$DB\$"
