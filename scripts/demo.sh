#!/usr/bin/env bash
# The product (make demo): a French demo database with our addons and realistic data, served
# by Odoo 18 on http://127.0.0.1:8069. Idempotent: an existing demo database is reused
# (CREDIT_DEMO_RESET=1 builds it anew).
. "$(dirname "$0")/common.sh"
"$REPO/scripts/setup.sh"
load_db_env
write_odoo_conf
DB=${CREDIT_DEMO_DB:-credit_demo}
ADDONS=$(cd "$REPO" && ls -d */__manifest__.py | xargs -n1 dirname | paste -sd, -)
[ -n "${CREDIT_DEMO_RESET:-}" ] && dropdb --if-exists "$DB"
if ! psql -Atqc "select 1 from pg_database where datname='$DB'" postgres | grep -q 1; then
    log "creating demo database $DB (French company, demo data)"
    # Odoo's own database creation, as the database manager does it: French company, chart
    # of accounts and language, demo data loaded.
    "$PY" - "$ODOO_CONF" "$DB" <<'PYEOF'
import sys
import odoo
from odoo.tools import config
config.parse_config(["-c", sys.argv[1], "--log-level=warn"])
odoo.service.db.exp_create_database(sys.argv[2], True, "fr_FR", "admin", "admin", "FR", "")
PYEOF
    # Accounting first: it brings the French chart of accounts (l10n_fr), which the demo
    # invoices of our addons need.
    "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i account --stop-after-init --log-level=warn
    "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i "$ADDONS" --stop-after-init --log-level=warn
else
    log "updating our addons in $DB"
    "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -u "$ADDONS" --stop-after-init --log-level=warn
fi
cat <<MSG

  Odoo 18 with credit management: http://127.0.0.1:$HTTP_PORT/odoo?db=$DB
  Credit manager: login admin / password admin
  Sales rep:      login sales / password sales
  Collector:      login collector / password collector
  Customer portal: login client / password client (Boulangeries Fournier & Fils)
  (Ctrl-C stops the server)

MSG
[ -n "${CREDIT_DEMO_NO_SERVE:-}" ] && exit 0
exec "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" --db-filter="^$DB\$"
