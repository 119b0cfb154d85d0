"""The pure core of credit factoring: plain Python, no ORM, no database.

The models gather the facts (the invoices of a batch, the factor's approvals, the contract's
rates) into the dataclasses of these modules, call their functions and apply the results.
Everything here is unit-tested with plain values (``engine/tests``, run by ``make test``
without a database):

- ``amounts``: what a batch of assigned invoices brings (financed part, advance, retention,
  factoring fee, financing interest), invoice by invoice and in total.

Modules import only the standard library and each other, so that the package imports both as
``odoo.addons.credit_factoring.engine`` and, in its unit tests, as the top-level package
``engine``.
"""
