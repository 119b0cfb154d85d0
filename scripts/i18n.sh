#!/usr/bin/env bash
# Refresh each addon's i18n/<addon>.pot from the code and merge it into i18n/fr.po
# (new terms get an empty translation to fill in; terms gone from the code are dropped).
. "$(dirname "$0")/common.sh"
"$REPO/scripts/setup.sh"
load_db_env
write_odoo_conf
ADDONS=${CREDIT_ADDONS:-$(cd "$REPO" && ls -d */__manifest__.py | xargs -n1 dirname | paste -sd, -)}
DB=credit_i18n_$$
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
log "installing $ADDONS in $DB"
"$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i "$ADDONS" --without-demo=all --stop-after-init \
    --log-level=warn --http-port "${CREDIT_I18N_PORT:-18068}"
for addon in ${ADDONS//,/ }; do
    mkdir -p "$REPO/$addon/i18n"
    log "exporting $addon/i18n/$addon.pot"
    "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" --modules="$addon" --log-level=warn \
        --i18n-export="$REPO/$addon/i18n/$addon.pot" --http-port "${CREDIT_I18N_PORT:-18068}"
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
