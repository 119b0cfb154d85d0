#!/usr/bin/env bash
# The benchmarks (make bench): our credit check beside Odoo's and OCA's, on the same data of
# a fresh database. Prints figures; fails only on an error, never on a timing.
. "$(dirname "$0")/common.sh"
"$REPO/scripts/setup.sh"
load_db_env
write_odoo_conf
ADDONS=$(cd "$REPO" && ls -d */__manifest__.py | xargs -n1 dirname | paste -sd, -)
PEERS=""
log "installing the peers of bench/requirements.txt"
if "$PY" -m pip install -q -r "$REPO/bench/requirements.txt" >"$RUN_DIR/bench-pip.log" 2>&1; then
    PEERS=",sale_financial_risk"
else
    echo "OCA sale_financial_risk could not be installed from PyPI (log: $RUN_DIR/bench-pip.log);"
    echo "the benchmark runs without it."
fi
DB=credit_bench_$$
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
log "creating $DB with $ADDONS$PEERS"
if ! "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i "$ADDONS$PEERS" --without-demo=all --stop-after-init \
    --log-level=warn --http-port "${CREDIT_BENCH_PORT:-18067}" >"$RUN_DIR/bench-install.log" 2>&1; then
    if [ -n "$PEERS" ]; then
        echo "OCA sale_financial_risk did not install on Odoo 18 (log: $RUN_DIR/bench-install.log);"
        echo "the benchmark runs without it."
        dropdb --if-exists "$DB"
        PEERS=""
        "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i "$ADDONS" --without-demo=all --stop-after-init \
            --log-level=warn --http-port "${CREDIT_BENCH_PORT:-18067}"
    else
        cat "$RUN_DIR/bench-install.log"; exit 1
    fi
fi
log "benchmark"
"$PY" "$REPO/bench/bench_credit_check.py" -c "$ODOO_CONF" -d "$DB" "$@"
