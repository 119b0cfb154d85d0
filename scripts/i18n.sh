#!/usr/bin/env bash
# Refresh each addon's i18n/<addon>.pot from the code and merge it into i18n/fr.po
# (new terms get an empty translation to fill in; terms gone from the code are dropped).
#
# Each addon is exported from a database where it is installed with its dependencies only, so
# that its terms are its own: payment_link rewrites credit_management's SMS templates, and
# credit_management's catalogue must keep the texts it ships. The terms an addon changes in
# the records of one of our addons it depends on (such a rewritten template) are added to its
# own catalogue, where Odoo loads them when it installs it.
. "$(dirname "$0")/common.sh"
"$REPO/scripts/setup.sh"
load_db_env
write_odoo_conf
# Our addons, each after those it depends on.
ADDONS=${CREDIT_ADDONS:-$("$PY" - "$REPO" <<'PYEOF'
import ast
import os
import sys

repo = sys.argv[1]
ours = sorted(n for n in os.listdir(repo) if os.path.exists(os.path.join(repo, n, "__manifest__.py")))
deps = {}
for name in ours:
    with open(os.path.join(repo, name, "__manifest__.py")) as manifest:
        deps[name] = {d for d in ast.literal_eval(manifest.read()).get("depends", []) if d in ours}
order = []
while len(order) < len(ours):
    order += [n for n in ours if n not in order and deps[n] <= set(order)][:1]
print(",".join(order))
PYEOF
)}
PORT=${CREDIT_I18N_PORT:-18068}
WORK=$(mktemp -d)
DATABASES=()
trap 'for db in "${DATABASES[@]}"; do dropdb --if-exists "$db" >/dev/null 2>&1 || true; done; rm -rf "$WORK"' EXIT

# our_dependencies ADDON: the addons of this repository that ADDON depends on, directly or not.
our_dependencies() {
    "$PY" - "$REPO" "$1" <<'PYEOF'
import ast
import os
import sys

repo, addon = sys.argv[1:]
ours = {name for name in os.listdir(repo) if os.path.exists(os.path.join(repo, name, "__manifest__.py"))}


def depends(name):
    with open(os.path.join(repo, name, "__manifest__.py")) as manifest:
        return [dep for dep in ast.literal_eval(manifest.read()).get("depends", []) if dep in ours]


seen, todo = [], depends(addon)
while todo:
    dep = todo.pop()
    if dep not in seen:
        seen.append(dep)
        todo.extend(depends(dep))
print(" ".join(sorted(seen)))
PYEOF
}

export_pot() { # export_pot DB ADDON FILE
    "$ODOO_BIN" -c "$ODOO_CONF" -d "$1" --modules="$2" --log-level=warn \
        --i18n-export="$3" --http-port "$PORT"
}

for addon in ${ADDONS//,/ }; do
    db=credit_i18n_${addon}_$$
    DATABASES+=("$db")
    log "installing $addon (and its dependencies) in $db"
    "$ODOO_BIN" -c "$ODOO_CONF" -d "$db" -i "$addon" "$WITHOUT_DEMO" --stop-after-init \
        --log-level=warn --http-port "$PORT"
    mkdir -p "$REPO/$addon/i18n"
    log "exporting $addon/i18n/$addon.pot"
    export_pot "$db" "$addon" "$WORK/$addon.pot"
    # The terms it changes in the records of our addons it depends on.
    for dep in $(our_dependencies "$addon"); do
        [ -f "$WORK/$dep.own.pot" ] || {
            echo "export $dep before $addon (CREDIT_ADDONS in dependency order)" >&2
            exit 1
        }
        export_pot "$db" "$dep" "$WORK/$dep.in-$addon.pot"
        "$PY" - "$WORK/$addon.pot" "$WORK/$dep.own.pot" "$WORK/$dep.in-$addon.pot" <<'PYEOF'
import sys

import polib

pot_path, own_path, changed_path = sys.argv[1:]
pot = polib.pofile(pot_path, wrapwidth=78)
own = {(e.msgctxt, e.msgid) for e in polib.pofile(own_path)}
known = {(e.msgctxt, e.msgid) for e in pot}
added = 0
for entry in polib.pofile(changed_path):
    key = (entry.msgctxt, entry.msgid)
    # A term of a record (a model occurrence) that the dependency does not ship itself.
    model = [o for o in entry.occurrences if o[0].startswith(("model:", "model_terms:"))]
    if key in own or key in known or not model:
        continue
    entry.occurrences = model
    pot.append(entry)
    added += 1
pot.save(pot_path)
print(f"{pot_path}: {added} terms of its dependency {own_path.rsplit('/', 1)[-1][:-8]} it changes")
PYEOF
    done
    cp "$WORK/$addon.pot" "$WORK/$addon.own.pot"
    cp "$WORK/$addon.pot" "$REPO/$addon/i18n/$addon.pot"
    "$PY" - "$REPO/$addon/i18n/$addon.pot" "$REPO/$addon/i18n/fr.po" <<'PYEOF'
import os
import sys

import polib

pot_path, po_path = sys.argv[1:]
pot = polib.pofile(pot_path)
old = polib.pofile(po_path) if os.path.exists(po_path) else polib.POFile()
known = {(e.msgctxt, e.msgid): e for e in old}
po = polib.POFile(wrapwidth=78)
po.metadata = dict(pot.metadata)
po.metadata.update({"Language": "fr", "Plural-Forms": "nplurals=2; plural=(n > 1);"})
po.header = pot.header
missing = 0
for entry in pot:
    new = polib.POEntry(
        msgid=entry.msgid,
        msgctxt=entry.msgctxt,
        occurrences=entry.occurrences,
        comment=entry.comment,
        tcomment=entry.tcomment,
        flags=list(entry.flags),
    )
    before = known.get((entry.msgctxt, entry.msgid))
    new.msgstr = before.msgstr if before else ""
    missing += not new.msgstr
    po.append(new)
po.save(po_path)
print(f"{po_path}: {len(po)} terms, {missing} without a French translation")
PYEOF
done
