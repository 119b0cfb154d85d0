#!/usr/bin/env bash
# Shared settings of the project's commands (sourced, never run).
# Everything that is installed lives outside the repository so that fresh clones reuse it.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CM_HOME=${CREDIT_HOME:-$HOME/.cache/credit-management}

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The Odoo series the commands run on (ODOO_SERIES, default 18.0). Each series has its own
# Odoo tree, virtualenv and filestore under CM_HOME and its own .run/ files, so that both
# live side by side; 18.0 keeps the names it always had.
ODOO_SERIES=${ODOO_SERIES:-18.0}
case $ODOO_SERIES in
    18.0) SERIES_SUFFIX= ;;
    19.0) SERIES_SUFFIX=-$ODOO_SERIES ;;
    *) die "ODOO_SERIES=$ODOO_SERIES: the addons run on 18.0 and 19.0" ;;
esac
VENV=${CREDIT_VENV:-$CM_HOME/venv$SERIES_SUFFIX}
PY=$VENV/bin/python
ODOO_SRC=$CM_HOME/odoo-src$SERIES_SUFFIX
RUN_DIR=$REPO/.run${SERIES_SUFFIX:+/$ODOO_SERIES}
ODOO_CONF=$RUN_DIR/odoo.conf
ODOO_BIN=$VENV/bin/odoo
HTTP_PORT=${CREDIT_HTTP_PORT:-8069}
DEFAULT_ODOO_SOURCE=https://nightly.odoo.com/$ODOO_SERIES/nightly/src/odoo_$ODOO_SERIES.latest.tar.gz
# A new database without Odoo's demo data: a list of modules on 18.0, a boolean since 19.0.
case $ODOO_SERIES in
    18.0) WITHOUT_DEMO=--without-demo=all ;;
    *) WITHOUT_DEMO=--without-demo=True ;;
esac
mkdir -p "$CM_HOME" "$RUN_DIR"

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
data_dir = $CM_HOME/filestore$SERIES_SUFFIX
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
