"""Odoo set up for the project's scripts and benchmarks, on 18.0 and 19.0.

Import it before anything of Odoo (``import odoo_boot  # noqa: F401``). On 18.0, importing
any part of ``odoo`` runs its package's set-up (monkey patches, the ``odoo.SUPERUSER_ID``
shortcuts); on 19.0, ``odoo`` is a namespace package set up by ``odoo.init``, which Odoo's own
command line imports first. The scripts are run from their folder (``scripts/``) or with it
on ``PYTHONPATH`` (``scripts/bench.sh`` puts it there for ``bench/``).
"""

import odoo.release

if odoo.release.version_info[:2] >= (19, 0):
    import odoo.init
