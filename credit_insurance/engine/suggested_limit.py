"""The credit limit suggested for a customer, and why.

How it works: the model gathers, for one customer and one company, a ``LimitFacts`` (average
monthly sales of the last 12 months, the days of its payment terms, its behaviour grade and
the limit its credit insurer insures); ``suggest`` turns them into a ``Suggestion``:

1. **need**: what the customer owes at most when it pays on time, i.e. its monthly sales over
   its terms plus a margin for the time between delivery, invoice and payment:
   ``monthly_sales x (term_days + MARGIN_DAYS) / 30``. Without any sales in the window there
   is no need to measure: the insured limit is the starting point, and without a policy
   nothing is suggested;
2. **behaviour**: the need times the share of the behaviour grade (``GRADE_SHARES``: all of
   it for an A, a quarter for an E);
3. **insurance**: under a policy, never above the insured limit (selling beyond it is a risk
   the insurer does not carry; a cover refused or cancelled insures 0);
4. rounded down to ``ROUNDING`` (100) so that the limit reads as a decision, not a
   computation.

The ``bound`` of the suggestion names the factor that set it: ``sales`` (the need alone),
``score`` (the grade reduced it), ``insured`` (the insured limit capped it). The ``reasons``
are codes with their figures, in the order of the steps; the model words them in the user's
language.

>>> result = suggest(LimitFacts(monthly_sales=9000.0, term_days=30, grade="B"))
>>> result.amount, result.bound
(12100.0, 'score')
>>> facts = LimitFacts(monthly_sales=9000.0, term_days=30, grade="A", insured_limit=8000.0)
>>> result = suggest(facts)
>>> result.amount, result.bound, [code for code, _figures in result.reasons]
(8000.0, 'insured', ['sales', 'score', 'insured'])
"""

import math
from dataclasses import dataclass

MARGIN_DAYS = 15  # delivery to invoice and payment to bank, on top of the terms
DAYS_PER_MONTH = 30
ROUNDING = 100.0
# Share of the need granted by behaviour grade (credit_management's A to E).
GRADE_SHARES = {"A": 1.0, "B": 0.9, "C": 0.75, "D": 0.5, "E": 0.25}


@dataclass(frozen=True)
class LimitFacts:
    """One customer's facts, amounts in the company currency.

    ``insured_limit`` is None when the company has no credit insurance policy in force (then
    the insurance bounds nothing); 0 when the policy insures nothing on this customer.
    """

    monthly_sales: float = 0.0  # posted invoices less credit notes of 12 months, divided by 12
    term_days: int = 0  # days from the invoice date to its (last) due date
    grade: str = "C"
    insured_limit: float | None = None
    margin_days: int = MARGIN_DAYS


@dataclass(frozen=True)
class Suggestion:
    """``amount`` None: nothing to suggest (no sales and no policy)."""

    amount: float | None
    bound: str | None  # 'sales', 'score', 'insured' or None
    reasons: tuple  # ((code, {figures}), ...)


def need(facts):
    """The customer's need on its terms: monthly sales x (terms + margin) / 30."""
    days = max(facts.term_days, 0) + facts.margin_days
    return max(facts.monthly_sales, 0.0) * days / DAYS_PER_MONTH


def round_down(amount):
    """``amount`` rounded down to ``ROUNDING`` (never below 0)."""
    return max(math.floor(amount / ROUNDING + 1e-9) * ROUNDING, 0.0)


def suggest(facts):
    """The suggested limit of ``facts`` with its bound and reasons (see the module)."""
    reasons = []
    insured = facts.insured_limit
    if facts.monthly_sales > 0:
        base, bound = need(facts), "sales"
        reasons.append(
            (
                "sales",
                {
                    "monthly_sales": facts.monthly_sales,
                    "term_days": max(facts.term_days, 0),
                    "margin_days": facts.margin_days,
                    "need": base,
                },
            )
        )
    elif insured is not None:
        base, bound = insured, "insured"
        reasons.append(("no_sales", {"insured_limit": insured}))
    else:
        return Suggestion(None, None, (("no_sales_no_policy", {}),))

    share = GRADE_SHARES.get(facts.grade, GRADE_SHARES["C"])
    amount = base * share
    if share < 1.0 and base > 0:
        bound = "score"
    reasons.append(("score", {"grade": facts.grade, "share": share * 100.0, "amount": amount}))

    if insured is None:
        reasons.append(("no_policy", {}))
    elif amount > insured:
        amount, bound = insured, "insured"
        reasons.append(("insured", {"insured_limit": insured}))
    elif facts.monthly_sales > 0:
        reasons.append(("within_insured", {"insured_limit": insured}))
    return Suggestion(round_down(amount), bound, tuple(reasons))
