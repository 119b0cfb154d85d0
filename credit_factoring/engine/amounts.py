"""The amounts of an assignment batch (bordereau de cession).

How it works: ``batch_amounts`` takes the invoices of a batch (``Item``: customer, amount
assigned, due date), the factor's approved limit per customer (``limits``; a customer without
approval has none) and what the contract already has assigned and not yet collected per
customer (``outstanding``). Invoices are taken by due date, then by id; an invoice is
*approved* when the customer's assigned total, with it, stays within the limit. An invoice
over the limit is assigned all the same but unapproved: the factor does not finance it.

- the **advance** is the advance rate of the approved (financed) amount;
- the **retention** (guarantee fund) is the retention rate of everything assigned;
- the **factoring fee** is the fee rate of everything assigned;
- the **financing interest** is the financing rate a year (360 days, as banks count) on the
  advance of each approved invoice, from the batch date to its due date;
- the **VAT on the fee** is the rate of the contract's fee tax (a percentage; none by
  default) of the rounded fee.

Every amount is rounded half up to the cent (``digits``) once, on the total, as Odoo
rounds amounts.

>>> items = [Item(1, partner_id=7, amount=1000.0, date_due=date(2026, 7, 15)),
...          Item(2, partner_id=7, amount=500.0, date_due=date(2026, 8, 14))]
>>> result = batch_amounts(items, date(2026, 6, 15), Rates(90, 10, 0.5, 3.6), {7: 1200.0})
>>> result.approved, result.amount_financed, result.amount_advance
({1: True, 2: False}, 1000.0, 900.0)
>>> result.amount_retention, result.amount_fee, result.amount_interest
(150.0, 7.5, 2.7)
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal

DAYS_A_YEAR = 360


@dataclass(frozen=True)
class Item:
    """An invoice of the batch: its id, customer, amount assigned and due date."""

    id: int
    partner_id: int
    amount: float
    date_due: date


@dataclass(frozen=True)
class Rates:
    """A contract's rates, in percent: advance, retention, fee; financing a year; the VAT
    on the fee."""

    advance: float
    retention: float
    fee: float
    financing: float
    fee_tax: float = 0.0


@dataclass
class BatchAmounts:
    approved: dict = field(default_factory=dict)
    amount_total: float = 0.0
    amount_financed: float = 0.0
    amount_advance: float = 0.0
    amount_retention: float = 0.0
    amount_fee: float = 0.0
    amount_interest: float = 0.0
    amount_fee_tax: float = 0.0

    @property
    def amount_fees(self):
        """The fee and the interest: what the factor charges for the batch."""
        return round_half_up(self.amount_fee + self.amount_interest)


def round_half_up(value, digits=2):
    """``value`` rounded half up to ``digits`` decimals (``round`` rounds 10.125 down).

    >>> round_half_up(10.125), round_half_up(-0.005)
    (10.13, -0.01)
    """
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def batch_amounts(items, batch_date, rates, limits, outstanding=None, digits=2):
    """The amounts of a batch of ``items`` dated ``batch_date`` (see the module)."""
    outstanding = dict(outstanding or {})
    result = BatchAmounts()
    total = financed = interest = 0.0
    for item in sorted(items, key=lambda i: (i.date_due, i.id)):
        total += item.amount
        limit = limits.get(item.partner_id)
        used = outstanding.get(item.partner_id, 0.0) + item.amount
        approved = limit is not None and round_half_up(used - limit, digits) <= 0
        outstanding[item.partner_id] = used
        result.approved[item.id] = approved
        if approved:
            financed += item.amount
            days = max((item.date_due - batch_date).days, 0)
            advance = item.amount * rates.advance / 100.0
            interest += advance * rates.financing / 100.0 * days / DAYS_A_YEAR
    result.amount_total = round_half_up(total, digits)
    result.amount_financed = round_half_up(financed, digits)
    result.amount_advance = round_half_up(financed * rates.advance / 100.0, digits)
    result.amount_retention = round_half_up(total * rates.retention / 100.0, digits)
    result.amount_fee = round_half_up(total * rates.fee / 100.0, digits)
    result.amount_interest = round_half_up(interest, digits)
    result.amount_fee_tax = round_half_up(result.amount_fee * rates.fee_tax / 100.0, digits)
    return result
