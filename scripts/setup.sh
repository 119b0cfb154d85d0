#!/usr/bin/env bash
# Idempotent set-up: system packages, a virtualenv outside the repository, Odoo of the series
# ODOO_SERIES (18.0, the default, or 19.0) from ODOO_SOURCE, the project's requirements and a
# PostgreSQL server. Each series has its own Odoo tree and virtualenv (scripts/common.sh).
#
# ODOO_SOURCE may be:
#   - a directory holding an Odoo source tree of that series (with setup.py and odoo/);
#   - a git directory (bare or not) holding it; ODOO_REF picks the commit (default HEAD);
#   - an archive (.tar.gz, .tgz, .zip), as a local path or an http(s) URL.
# Default: Odoo's official source download of the series.
. "$(dirname "$0")/common.sh"

APT_PACKAGES="postgresql postgresql-client libpq-dev libldap2-dev libsasl2-dev libxml2-dev
libxslt1-dev libjpeg-dev zlib1g-dev wkhtmltopdf chromium fonts-dejavu-core poppler-utils git curl
zbar-tools"

system_packages() {
    local missing=()
    for p in $APT_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ]; then
        log "installing system packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "Missing system packages. Run as root:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
}

source_id() {
    local src=$1
    if [ -d "$src" ] && git --git-dir="$src" rev-parse --git-dir >/dev/null 2>&1; then
        echo "git:$(git --git-dir="$src" rev-parse "${ODOO_REF:-HEAD}^{commit}")"
    elif [ -d "$src/.git" ]; then
        echo "git:$(git -C "$src" rev-parse "${ODOO_REF:-HEAD}^{commit}")"
    else
        echo "src:$src"
    fi
}

fetch_odoo() {
    # Without an explicit ODOO_SOURCE, an Odoo already brought by an earlier set-up is kept.
    if [ -z "${ODOO_SOURCE:-}" ] && [ -f "$ODOO_SRC/.credit-source" ]; then
        return 0
    fi
    local src=${ODOO_SOURCE:-$DEFAULT_ODOO_SOURCE} id
    id=$(source_id "$src")
    if [ -f "$ODOO_SRC/.credit-source" ] && [ "$(cat "$ODOO_SRC/.credit-source")" = "$id" ]; then
        return 0
    fi
    log "bringing Odoo $ODOO_SERIES from $src"
    rm -rf "$ODOO_SRC.new" && mkdir -p "$ODOO_SRC.new"
    if [ -d "$src" ] && git --git-dir="$src" rev-parse --git-dir >/dev/null 2>&1; then
        git --git-dir="$src" archive "${ODOO_REF:-HEAD}" | tar -x -C "$ODOO_SRC.new"
    elif [ -d "$src/.git" ]; then
        git -C "$src" archive "${ODOO_REF:-HEAD}" | tar -x -C "$ODOO_SRC.new"
    elif [ -d "$src" ]; then
        cp -a "$src/." "$ODOO_SRC.new/"
    else
        local archive=$src
        if [[ "$src" == http://* || "$src" == https://* ]]; then
            archive=$CM_HOME/odoo-download
            curl -fL --retry 3 -o "$archive" "$src" || die "could not download $src"
        fi
        case "$src" in
            *.zip) (cd "$ODOO_SRC.new" && python3 -m zipfile -e "$archive" .) ;;
            *) tar -xzf "$archive" -C "$ODOO_SRC.new" ;;
        esac
        # Archives hold one top folder (odoo-18.0.post2025…/): flatten it.
        if [ ! -f "$ODOO_SRC.new/setup.py" ] && [ "$(ls "$ODOO_SRC.new" | wc -l)" = 1 ]; then
            local top
            top=$(ls "$ODOO_SRC.new")
            mv "$ODOO_SRC.new/$top" "$ODOO_SRC.top" && rm -rf "$ODOO_SRC.new" && mv "$ODOO_SRC.top" "$ODOO_SRC.new"
        fi
    fi
    [ -f "$ODOO_SRC.new/setup.py" ] && [ -d "$ODOO_SRC.new/odoo/addons/account" ] ||
        die "$src does not hold an Odoo source tree with its addons"
    grep -q "^version_info = (${ODOO_SERIES%%.*}, ${ODOO_SERIES#*.}," "$ODOO_SRC.new/odoo/release.py" ||
        die "$src is not Odoo $ODOO_SERIES (ODOO_SERIES names the series of ODOO_SOURCE)"
    echo "$id" >"$ODOO_SRC.new/.credit-source"
    rm -rf "$ODOO_SRC" && mv "$ODOO_SRC.new" "$ODOO_SRC"
    rm -f "$VENV/.credit-odoo"
}

python_env() {
    [ -x "$PY" ] || { log "creating virtualenv $VENV"; python3 -m venv "$VENV"; }
    local want have
    want=$(cat "$ODOO_SRC/.credit-source" "$REPO/requirements.txt" "$REPO/test-requirements.txt" | sha1sum | cut -c1-40)
    have=$(cat "$VENV/.credit-odoo" 2>/dev/null || true)
    [ "$want" = "$have" ] && return 0
    log "installing Odoo and the project's requirements into $VENV"
    "$PY" -m pip install -q -U "pip>=25.3" "wheel"
    # Odoo's pinned cbor2 does not build with setuptools 81+.
    printf 'setuptools<81\n' >"$CM_HOME/build-constraints.txt"
    local pipi=("$PY" -m pip install -q --build-constraint "$CM_HOME/build-constraints.txt")
    "${pipi[@]}" -r "$ODOO_SRC/requirements.txt"
    "${pipi[@]}" --no-deps --config-settings editable_mode=compat -e "$ODOO_SRC"
    # The project's packages never move one Odoo pinned (dateparser would otherwise be free
    # to upgrade python-dateutil or pytz, and a newer lxml changes Odoo's HTML cleaning): what
    # Odoo installed is a constraint.
    "$PY" -m pip freeze --exclude-editable | grep -E '^[A-Za-z0-9_.-]+==' >"$VENV/.credit-constraints.txt"
    "${pipi[@]}" -c "$VENV/.credit-constraints.txt" -r "$REPO/requirements.txt" -r "$REPO/test-requirements.txt"
    # Odoo's websocket process (gevent, with --workers) checks its requirements through
    # pkg_resources, whose setuptools 65 does not know the zope.interface and zope.event
    # wheels by their new names: it would fail at every start. A setuptools that reads them,
    # still with pkg_resources (gone in 81).
    "${pipi[@]}" "setuptools>=75.8.2,<81"
    echo "$want" >"$VENV/.credit-odoo"
}

pg_reachable() { psql -Atqc 'select 1' postgres >/dev/null 2>&1; }

postgres() {
    # 1. The server named by the usual PG* variables, when reachable (and not as postgres).
    if [ -z "${CREDIT_PRIVATE_PG:-}" ] && [ "${PGUSER:-$(id -un)}" != postgres ] && pg_reachable; then
        cat >"$RUN_DIR/db.env" <<ENV
PGHOST=${PGHOST:-/var/run/postgresql}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-$(id -un)}
PGPASSWORD=${PGPASSWORD:-}
ENV
        return 0
    fi
    # 2. Otherwise a private cluster on 127.0.0.1, started by us. PostgreSQL refuses to run
    # as root, so root runs it as the postgres user.
    local bindir port=${CREDIT_PGPORT:-54329} data as=()
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -n "$bindir" ] || die "no PostgreSQL server binaries found"
    if [ "$(id -u)" = 0 ]; then
        data=${CREDIT_PGDATA:-/var/lib/credit-management/pgdata}
        as=(runuser -u postgres --)
        mkdir -p "$(dirname "$data")" && chown postgres "$(dirname "$data")"
    else
        data=${CREDIT_PGDATA:-$CM_HOME/pgdata}
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
        log "creating a private PostgreSQL cluster in $data"
        "${as[@]}" "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres
    # PostgreSQL's default durability: the demo and a first real use keep their data here.
    # Only the test databases trade it for speed, each on its own (scripts/test.sh sets
    # synchronous_commit off on them), never the whole cluster.
    local options="-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200"
    if pg_reachable && [ "$(psql -Atqc 'show fsync' postgres)" = off ]; then
        log "restarting PostgreSQL on 127.0.0.1:$port with its default durability"
        "${as[@]}" "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -m fast restart -o "$options" >/dev/null
    fi
    if ! pg_reachable; then
        log "starting PostgreSQL on 127.0.0.1:$port"
        "${as[@]}" "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w start -o "$options" >/dev/null
    fi
    # Odoo refuses to connect as postgres: give it a role of its own.
    psql -Atqc "select 1 from pg_roles where rolname='odoo'" postgres | grep -q 1 ||
        psql -qc "create role odoo login createdb password 'odoo'" postgres
    cat >"$RUN_DIR/db.env" <<ENV
PGHOST=127.0.0.1
PGPORT=$port
PGUSER=odoo
PGPASSWORD=odoo
ENV
}

system_packages
fetch_odoo
python_env
postgres
write_odoo_conf
log "set-up done (Odoo $ODOO_SERIES: $(cat "$ODOO_SRC/.credit-source"), venv: $VENV)"
