"""The pure core of credit management: plain Python, no ORM, no database.

The models gather the facts (open items, levels, payments) into the dataclasses of these
modules, call their functions and apply the results. Everything here can be unit-tested with
plain values (``engine/tests``, run by ``make test`` without a database):

- ``dunning``: the next level of an invoice and the date it is due, the grouping of invoices
  into reminders and the reminder totals;
- ``late_fees``: the late-payment interest of an invoice and the recovery indemnity;
- ``score``: the behaviour score and grade of a customer;
- ``worklist``: the ranking of today's worklist of a collector;
- ``reply``: a customer's reply to a reminder read for the collector (intent, date, amount,
  invoices named).

Modules import only the standard library, each other (relative imports) and the packages of
``requirements.txt`` (``reply``: dateparser and price-parser), so that the
package imports both as ``odoo.addons.credit_management.engine`` and, in its unit tests, as
the top-level package ``engine``.
"""
