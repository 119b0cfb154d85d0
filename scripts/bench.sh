#!/usr/bin/env bash
# The benchmarks (make bench), each on a fresh database with its peers from PyPI:
#   - credit: our credit check beside Odoo's and OCA's sale_financial_risk;
#   - dunning: our dunning run beside OCA's account_credit_control, and email throughput;
#   - score: the nightly behaviour score of every customer;
#   - insurance: exposure against cover of a whole insured portfolio, beside raw SQL;
#   - payment_link: the public payment page under load, served by Odoo with 2 workers on
#     127.0.0.1:$CREDIT_BENCH_PORT (default 18067), valid and bad tokens.
#   - reporting: the aged balance (today and a past date) beside OCA's account_financial_report,
#     the 12-month KPI backfill, customer statements beside OCA's partner_statement.
#   - factoring: a batch of 20,000 invoices assigned and posted, a factor statement of 20,000
#     lines imported and matched.
#   - risk_data: a day of BODACC notices against 50,000 customers, 50,000 ratings imported.
#   - assist: customers' replies through the mail gateway per second, and today's worklist of
#     a collector with 2,000 customers (promises, disputes, calls, replies).
#   - prediction: the late-payment prediction trained (with its backtest) on 200,000 paid
#     invoices of 20,000 customers, then 100,000 open invoices scored.
# Usage: scripts/bench.sh [credit|dunning|score|insurance|payment_link|reporting|factoring|risk_data|assist|prediction]
# [options of that benchmark]; no name runs all.
# Prints figures; fails only on an error, never on a timing.
. "$(dirname "$0")/common.sh"
"$REPO/scripts/setup.sh"
load_db_env
write_odoo_conf
ADDONS=$(cd "$REPO" && ls -d */__manifest__.py | xargs -n1 dirname | paste -sd, -)
WHICH=all
# The benchmarks set Odoo up through scripts/odoo_boot.py, as the other scripts do.
export PYTHONPATH=$REPO/scripts${PYTHONPATH:+:$PYTHONPATH}
case "${1:-}" in credit | dunning | score | insurance | payment_link | reporting | factoring | risk_data | assist | prediction) WHICH=$1 && shift ;; esac
DATABASES=()
trap 'for db in "${DATABASES[@]}"; do dropdb --if-exists "$db" >/dev/null 2>&1 || true; done' EXIT

# peer_installed ADDON: install the PyPI wheel of OCA's ADDON (listed in bench/requirements.txt)
# of the series the benchmark runs on.
peer_installed() {
    local requirement
    requirement=$(grep -E "^odoo-addon-$1\$" "$REPO/bench/requirements.txt")==$ODOO_SERIES.*
    # Odoo's own packages stay as its set-up pinned them (a peer's dependency upgrading lxml
    # would change Odoo's HTML cleaning, and its tests, in this virtualenv).
    "$PY" -m pip freeze --exclude-editable | grep -E '^[A-Za-z0-9_.-]+==' | grep -v '^odoo-addon-' \
        >"$RUN_DIR/bench-constraints.txt"
    if "$PY" -m pip install -q -c "$RUN_DIR/bench-constraints.txt" "$requirement" \
        >"$RUN_DIR/bench-pip-$1.log" 2>&1; then
        return 0
    fi
    echo "OCA $1 could not be installed from PyPI (log: $RUN_DIR/bench-pip-$1.log);"
    echo "the benchmark runs without it."
    return 1
}

# create_db DB [PEER[,PEER...]]: a fresh database with our addons and, if they install,
# OCA's PEERs.
create_db() {
    local db=$1 peer=${2:-} modules=$ADDONS one
    DATABASES+=("$db")
    for one in ${peer//,/ }; do
        peer_installed "$one" && modules="$modules,$one"
    done
    log "creating $db with $modules"
    if "$ODOO_BIN" -c "$ODOO_CONF" -d "$db" -i "$modules" "$WITHOUT_DEMO" --stop-after-init \
        --log-level=warn --http-port "${CREDIT_BENCH_PORT:-18067}" >"$RUN_DIR/bench-install.log" 2>&1; then
        return 0
    fi
    [ "$modules" = "$ADDONS" ] && { cat "$RUN_DIR/bench-install.log"; exit 1; }
    echo "OCA $peer did not install on Odoo $ODOO_SERIES (log: $RUN_DIR/bench-install.log);"
    echo "the benchmark runs without it."
    dropdb --if-exists "$db"
    "$ODOO_BIN" -c "$ODOO_CONF" -d "$db" -i "$ADDONS" "$WITHOUT_DEMO" --stop-after-init \
        --log-level=warn --http-port "${CREDIT_BENCH_PORT:-18067}"
}

if [ "$WHICH" = all ] || [ "$WHICH" = credit ]; then
    create_db "credit_bench_$$" sale_financial_risk
    log "benchmark: credit check"
    "$PY" "$REPO/bench/bench_credit_check.py" -c "$ODOO_CONF" -d "credit_bench_$$" "$@"
fi
if [ "$WHICH" = all ] || [ "$WHICH" = dunning ]; then
    create_db "dunning_bench_$$" account_credit_control
    log "benchmark: dunning"
    "$PY" "$REPO/bench/bench_dunning.py" -c "$ODOO_CONF" -d "dunning_bench_$$" "$@"
fi
if [ "$WHICH" = all ] || [ "$WHICH" = score ]; then
    create_db "score_bench_$$" partner_time_to_pay
    log "benchmark: behaviour score"
    "$PY" "$REPO/bench/bench_score.py" -c "$ODOO_CONF" -d "score_bench_$$" "$@"
fi
if [ "$WHICH" = all ] || [ "$WHICH" = insurance ]; then
    # No peer computes exposure against cover: OCA's partner_risk_insurance stores one number.
    create_db "insurance_bench_$$"
    log "benchmark: exposure against cover"
    "$PY" "$REPO/bench/bench_insurance.py" -c "$ODOO_CONF" -d "insurance_bench_$$" "$@"
fi
if [ "$WHICH" = all ] || [ "$WHICH" = payment_link ]; then
    # The page alone: payment_link with Odoo's demo payment provider, no insurance.
    db="payment_link_bench_$$"
    DATABASES+=("$db")
    log "creating $db with credit_management,payment_link,payment_demo"
    "$ODOO_BIN" -c "$ODOO_CONF" -d "$db" -i credit_management,payment_link,payment_demo \
        "$WITHOUT_DEMO" --stop-after-init --log-level=warn \
        --http-port "${CREDIT_BENCH_PORT:-18067}" >"$RUN_DIR/bench-install.log" 2>&1 ||
        { cat "$RUN_DIR/bench-install.log"; exit 1; }
    log "benchmark: payment page under load"
    "$PY" "$REPO/bench/bench_payment_link.py" -c "$ODOO_CONF" -d "$db" \
        --port "${CREDIT_BENCH_PORT:-18067}" --odoo-bin "$ODOO_BIN" "$@"
fi
if [ "$WHICH" = all ] || [ "$WHICH" = reporting ]; then
    create_db "reporting_bench_$$" account_financial_report,partner_statement
    log "benchmark: receivables reporting"
    "$PY" "$REPO/bench/bench_reporting.py" -c "$ODOO_CONF" -d "reporting_bench_$$" "$@"
fi
if [ "$WHICH" = all ] || [ "$WHICH" = factoring ]; then
    # No peer: OCA has no factoring addon merged.
    create_db "factoring_bench_$$"
    log "benchmark: factoring batch and statement"
    "$PY" "$REPO/bench/bench_factoring.py" -c "$ODOO_CONF" -d "factoring_bench_$$" \
        --skip-process "$@"
    # The whole chain, the statement posted and reconciled, on a tenth (new customers).
    "$PY" "$REPO/bench/bench_factoring.py" -c "$ODOO_CONF" -d "factoring_bench_$$" \
        --customers 200 --invoices 2000
fi
if [ "$WHICH" = all ] || [ "$WHICH" = risk_data ]; then
    # No peer: nothing in Odoo or OCA reads the BODACC.
    create_db "risk_data_bench_$$"
    log "benchmark: BODACC notices and ratings import"
    "$PY" "$REPO/bench/bench_risk_data.py" -c "$ODOO_CONF" -d "risk_data_bench_$$" "$@"
fi
if [ "$WHICH" = all ] || [ "$WHICH" = assist ]; then
    # No peer: neither Odoo nor OCA reads the customers' replies or ranks a worklist.
    create_db "assist_bench_$$"
    log "benchmark: replies through the mail gateway, today's worklist"
    "$PY" "$REPO/bench/bench_assist.py" -c "$ODOO_CONF" -d "assist_bench_$$" "$@"
fi
if [ "$WHICH" = all ] || [ "$WHICH" = prediction ]; then
    # No peer: neither Odoo nor OCA predicts late payments.
    create_db "prediction_bench_$$"
    log "benchmark: late-payment prediction"
    "$PY" "$REPO/bench/bench_prediction.py" -c "$ODOO_CONF" -d "prediction_bench_$$" "$@"
fi
