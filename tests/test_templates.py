"""The consultant's template: scaffold an addon from it, install it, run its tests."""

import ast
import configparser
import re
import subprocess
import uuid

from conftest import REPO
from conftest import WITHOUT_DEMO
from conftest import drop_database
from conftest import free_port
from conftest import odoo_bin
from conftest import odoo_conf

TEMPLATE = REPO / "templates" / "credit_extension"
RESULT = re.compile(r"odoo\.tests\.result: (\d+) failed, (\d+) error\(s\) of (\d+) tests")


def test_scaffold_install_and_test(tmp_path):
    name = "acme_credit"
    subprocess.run(
        [odoo_bin(), "scaffold", "-t", str(TEMPLATE), name, str(tmp_path)],
        check=True,
        capture_output=True,
    )
    addon = tmp_path / name
    expected = {
        "__init__.py",
        "__manifest__.py",
        "models/__init__.py",
        "models/acme_credit_review.py",
        "models/res_partner.py",
        "security/acme_credit_security.xml",
        "security/ir.model.access.csv",
        "views/acme_credit_review_views.xml",
        "views/res_partner_views.xml",
        "tests/__init__.py",
        "tests/test_acme_credit.py",
        "readme/DESCRIPTION.md",
    }
    files = {str(p.relative_to(addon)) for p in addon.rglob("*") if p.is_file()}
    assert files == expected
    assert not any("{{" in (addon / f).read_text() for f in files)
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    assert manifest["depends"] == ["credit_management"]
    # x.y.z: Odoo prefixes the series it runs on (18.0 or 19.0).
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    assert manifest["name"] == "Acme Credit"
    for path in addon.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")

    # Install it on a fresh database with Odoo's test runner, as a consultant's CI would.
    parser = configparser.ConfigParser()
    parser.read(odoo_conf())
    addons_path = f"{parser['options']['addons_path']},{tmp_path}"
    db = f"e2e_tpl_{uuid.uuid4().hex[:8]}"
    log = tmp_path / "odoo.log"
    try:
        with open(log, "wb") as out:
            run = subprocess.run(
                [
                    odoo_bin(),
                    "-c",
                    odoo_conf(),
                    f"--addons-path={addons_path}",
                    "-d",
                    db,
                    "-i",
                    name,
                    *WITHOUT_DEMO,
                    "--test-enable",
                    "--test-tags",
                    f"/{name}",
                    "--stop-after-init",
                    "--http-port",
                    str(free_port()),
                    "--log-level=test",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
    finally:
        drop_database(db)
    text = log.read_text(errors="replace")
    results = RESULT.findall(text)
    assert run.returncode == 0 and results, text[-5000:]
    failed, errors, total = map(int, results[-1])
    assert (failed, errors) == (0, 0), text[-5000:]
    assert total == 3, text[-5000:]
