"""The pure core of credit insurance: plain Python, no ORM, no database.

The models gather the facts (sales, terms, score, insured limit) into the dataclasses of these
modules, call their functions and apply the results. Everything here can be unit-tested with
plain values (``engine/tests``, run by ``make test`` without a database):

- ``suggested_limit``: the credit limit suggested for a customer and the reasons behind it.

Modules import only the standard library and each other (relative imports), so that the
package imports both as ``odoo.addons.credit_insurance.engine`` and, in its unit tests, as
the top-level package ``engine``.
"""
