"""The amounts of an assignment batch, worked out by hand."""

import doctest
from datetime import date

from engine import amounts as amounts_module
from engine.amounts import Item
from engine.amounts import Rates
from engine.amounts import batch_amounts

RATES = Rates(advance=90.0, retention=10.0, fee=0.6, financing=4.5)


def test_docstring_examples():
    failures, tests = doctest.testmod(amounts_module)
    assert tests > 0
    assert failures == 0


def test_all_approved():
    items = [
        Item(1, 1, 2000.0, date(2026, 7, 15)),  # 30 days
        Item(2, 2, 4000.0, date(2026, 8, 14)),  # 60 days
    ]
    result = batch_amounts(items, date(2026, 6, 15), RATES, {1: 5000.0, 2: 5000.0})
    assert result.amount_total == 6000.0
    assert result.amount_advance == 5400.0  # 90 % of 6,000
    assert result.amount_retention == 600.0  # 10 % of 6,000
    assert result.amount_fee == 36.0  # 0.6 % of 6,000
    # 1,800 x 4.5 % x 30/360 = 6.75; 3,600 x 4.5 % x 60/360 = 27.00
    assert result.amount_interest == 33.75
    assert result.amount_fees == 69.75


def test_over_the_limit_not_financed():
    items = [
        Item(1, 1, 3000.0, date(2026, 7, 15)),
        Item(2, 1, 3000.0, date(2026, 7, 20)),
        Item(3, 2, 1000.0, date(2026, 6, 10)),  # past due: no interest
    ]
    # Customer 1 has 1,000 already assigned: 4,000 fits in 5,000, 7,000 does not.
    result = batch_amounts(items, date(2026, 6, 15), RATES, {1: 5000.0}, {1: 1000.0})
    assert result.approved == {1: True, 2: False, 3: False}  # 3: no approval
    assert result.amount_financed == 3000.0
    assert result.amount_advance == 2700.0
    assert result.amount_retention == 700.0
    assert result.amount_interest == 10.13  # 2,700 x 4.5 % x 30/360 = 10.125


def test_empty():
    result = batch_amounts([], date(2026, 6, 15), RATES, {})
    assert (result.amount_total, result.amount_advance, result.amount_fees) == (0.0, 0.0, 0.0)


def test_vat_on_the_fee():
    rates = Rates(advance=90.0, retention=10.0, fee=0.55, financing=0.0, fee_tax=20.0)
    items = [Item(1, 1, 1234.0, date(2026, 7, 15)), Item(2, 1, 766.5, date(2026, 8, 14))]
    result = batch_amounts(items, date(2026, 6, 15), rates, {1: 5000.0})
    assert result.amount_total == 2000.5
    assert result.amount_fee == 11.0  # 0.55 % of 2,000.50 = 11.00275
    assert result.amount_fee_tax == 2.2  # 20 % of the rounded fee 11.00
    assert result.amount_fees == 11.0, "the fees before VAT"
    assert batch_amounts(items, date(2026, 6, 15), RATES, {}).amount_fee_tax == 0.0
