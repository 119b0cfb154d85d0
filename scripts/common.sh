#!/usr/bin/env bash
# Shared settings of the project's commands (sourced, never run).
# Everything that is installed lives outside the repository so that fresh clones reuse it.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CM_HOME=${CREDIT_HOME:-$HOME/.cache/credit-management}
VENV=${CREDIT_VENV:-$CM_HOME/venv}
PY=$VENV/bin/python
ODOO_SRC=$CM_HOME/odoo-src
RUN_DIR=$REPO/.run
ODOO_CONF=$RUN_DIR/odoo.conf
ODOO_BIN=$VENV/bin/odoo
HTTP_PORT=${CREDIT_HTTP_PORT:-8069}
DEFAULT_ODOO_SOURCE=https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz
mkdir -p "$CM_HOME" "$RUN_DIR"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Database connection chosen by scripts/setup.sh (PG* variables or a private cluster).
load_db_env() {
    [ -f "$RUN_DIR/db.env" ] || die "run 'make setup' first"
    # shellcheck disable=SC1091
    . "$RUN_DIR/db.env"
    export PGHOST PGPORT PGUSER PGPASSWORD
}

write_odoo_conf() {
    load_db_env
    cat >"$ODOO_CONF" <<CONF
[options]
addons_path = $ODOO_SRC/odoo/addons,$REPO${CREDIT_EXTRA_ADDONS:+,$CREDIT_EXTRA_ADDONS}
data_dir = $CM_HOME/filestore
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
db_password = ${PGPASSWORD:-False}
http_interface = 127.0.0.1
http_port = $HTTP_PORT
list_db = True
admin_passwd = ${CREDIT_ADMIN_PASSWD:-admin}
max_cron_threads = ${CREDIT_CRON_THREADS:-1}
CONF
}
