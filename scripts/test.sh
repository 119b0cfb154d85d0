#!/usr/bin/env bash
# The project's test command (make test): set-up, lint, every addon's tests on a fresh
# database of a real Odoo 18 + PostgreSQL, then the black-box end-to-end tests in tests/.
# Ends with "N passed, N failed" and exits non-zero on any failure or error.
. "$(dirname "$0")/common.sh"
"$REPO/scripts/setup.sh"
load_db_env
write_odoo_conf

ADDONS=${CREDIT_ADDONS:-$(cd "$REPO" && ls -d */__manifest__.py | xargs -n1 dirname | paste -sd, -)}
# Odoo's own tests of what our addons extend, run with our addons installed (good neighbours);
# payment_demo is the provider payment_link's tests pay with.
NEIGHBOURS=${CREDIT_NEIGHBOURS-sale,account_payment,portal,sms,payment_demo}
NEIGHBOUR_TAGS=${CREDIT_NEIGHBOUR_TAGS-/sale:TestSaleOrderCreditLimit,/account_payment,/portal,/sms}
DB=${CREDIT_TEST_DB:-credit_test_$$}
TEST_PORT=${CREDIT_TEST_PORT:-18069}
LOG=${CREDIT_TEST_LOG:-$RUN_DIR/test-odoo.log}
passed=0 failed=0
count() { # name status
    if [ "$2" = 0 ]; then passed=$((passed + 1)); echo "PASS $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}

# junit_count XML: add a pytest JUnit report to the counts (a missing or empty one fails).
junit_count() {
    local t f e s
    if [ -f "$1" ]; then
        read -r t f e s < <("$PY" - "$1" <<'PYEOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
tot = lambda k: sum(int(s.get(k, 0)) for s in suites)
print(tot("tests"), tot("failures"), tot("errors"), tot("skipped"))
PYEOF
)
        passed=$((passed + t - f - e - s)); failed=$((failed + f + e))
        [ "$t" -gt 0 ] || failed=$((failed + 1))
        rm -f "$1"
    else
        failed=$((failed + 1))
    fi
}

if [ -z "${CREDIT_SKIP_LINT:-}" ]; then
    log "lint: ruff"
    (cd "$REPO" && "$VENV/bin/ruff" check . && "$VENV/bin/ruff" format --check .) && st=0 || st=$?
    count "lint ruff" $st
    log "lint: pylint-odoo"
    (cd "$REPO" && "$VENV/bin/pylint" --rcfile=.pylintrc $(echo "$ADDONS" | tr , ' ')) && st=0 || st=$?
    count "lint pylint-odoo" $st
fi

if [ -z "${CREDIT_SKIP_UNIT:-}" ]; then
    # The pure cores (<addon>/engine/tests): plain Python, no Odoo, no database.
    log "unit tests of the engines (*/engine/tests)"
    # One pytest run per engine: each folder is its own pytest root (its pytest.ini); given
    # together, their common root would be the repository and pytest would import the
    # addons' packages (which need Odoo) above them.
    for tests in $(cd "$REPO" && ls -d */engine/tests); do
        (cd "$REPO" && "$VENV/bin/python" -m pytest -q -p no:cacheprovider \
            "$tests" --junitxml="$RUN_DIR/unit.xml") || true
        junit_count "$RUN_DIR/unit.xml"
    done
fi

log "Odoo tests of $ADDONS on a fresh database $DB"
dropdb --if-exists "$DB" >/dev/null 2>&1 || true
# A test database is thrown away: it may lose its last commits in a crash, for speed.
createdb "$DB"
psql -qc "ALTER DATABASE \"$DB\" SET synchronous_commit = off" "$DB"
tags=$(echo "$ADDONS" | sed 's/\([^,]*\)/\/\1/g')${NEIGHBOUR_TAGS:+,$NEIGHBOUR_TAGS}
set +e
"$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i "$ADDONS${NEIGHBOURS:+,$NEIGHBOURS}" --without-demo=all --test-enable \
    --test-tags "${CREDIT_TEST_TAGS:-$tags}" --http-port "$TEST_PORT" --stop-after-init \
    --log-level=test --log-handler=werkzeug:WARNING >"$LOG" 2>&1
rc=$?
set -e
[ -n "${CREDIT_KEEP_DB:-}" ] || dropdb --if-exists "$DB" >/dev/null 2>&1 || true
# Odoo prints "N failed, N error(s) of N tests when loading database ...".
result=$(grep -E "odoo.tests.result: [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$LOG" | tail -1 || true)
errors=$(grep -cE " (ERROR|CRITICAL) " "$LOG" || true)
grep -E " (ERROR|CRITICAL|FAIL)[: ]" "$LOG" | head -40 || true
if [ -n "$result" ]; then
    read -r f e t < <(echo "$result" | sed -E 's/.*: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/')
    # A class whose set-up fails counts an error without counting its tests.
    ok=$((t - f - e)); [ "$ok" -ge 0 ] || ok=0
    passed=$((passed + ok)); failed=$((failed + f + e))
    [ "$t" -gt 0 ] || { echo "Odoo ran no test"; failed=$((failed + 1)); }
    echo "Odoo tests: $ok passed, $((f + e)) failed or in error (log: $LOG)"
else
    echo "Odoo tests: no result line (log: $LOG)"; tail -30 "$LOG"
    failed=$((failed + 1))
fi
# An error logged outside any test (install failure, traceback in a cron) fails the run too.
if [ "$rc" != 0 ] || { [ "$errors" -gt 0 ] && [ -n "$result" ] && [ "$f$e" = 00 ]; }; then
    echo "Odoo exited $rc with $errors error lines in the log"; failed=$((failed + 1))
fi

if [ -z "${CREDIT_SKIP_E2E:-}" ]; then
    log "end-to-end tests (tests/)"
    (cd "$REPO" && CREDIT_ODOO_CONF="$ODOO_CONF" CREDIT_ODOO_BIN="$ODOO_BIN" \
        "$VENV/bin/python" -m pytest -q -p no:cacheprovider tests/ --junitxml="$RUN_DIR/e2e.xml") || true
    junit_count "$RUN_DIR/e2e.xml"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
