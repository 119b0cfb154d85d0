"""How a provider's rating weighs in the behaviour score and the suggested credit limit.

Used when the company's setting *Use the Latest Rating* is on, with the customer's latest
rating of the last 12 months (``RATING_DAYS``); an older rating counts for nothing.

**Behaviour score** (credit_management's, 0 to 100): the rating takes points off it by its
probability of default, ``PD_POINTS`` (2) points per percent, at most ``PENALTY_MAX`` (20),
rounded to the whole point (halves up); the score stays between 0 and 100 and its grade
follows it. A rating without a probability of default (0) takes nothing off. A customer
without any history starts from the neutral score (60) as the others do.

>>> rating_penalty(1.2), rating_penalty(3.75), rating_penalty(15.0), rating_penalty(0.0)
(2, 8, 20, 0)
>>> rated_score(72, rating_penalty(3.75)), rated_score(5, rating_penalty(15.0))
(64, 0)

**Suggested limit** (credit_insurance's): the provider's recommended limit caps it, rounded
down to the hundred as the suggestion is; a recommended limit of 0 caps nothing.

>>> capped_limit(12100.0, 9950.0), capped_limit(12100.0, 15000.0), capped_limit(12100.0, 0.0)
(9900.0, 12100.0, 12100.0)
"""

import math

RATING_DAYS = 365  # a rating older than this counts for nothing
PD_POINTS = 2.0  # points lost per percent of probability of default
PENALTY_MAX = 20
ROUNDING = 100.0


def rating_penalty(default_probability):
    """The points a probability of default (in %) takes off the behaviour score."""
    points = math.floor(PD_POINTS * max(default_probability or 0.0, 0.0) + 0.5)
    return int(min(PENALTY_MAX, points))


def rated_score(score, penalty):
    """The behaviour score less the rating's points, kept between 0 and 100."""
    return max(0, min(100, int(score) - int(penalty)))


def capped_limit(amount, recommended):
    """The suggested limit ``amount`` capped by the ``recommended`` limit (0: no cap)."""
    if not recommended or recommended <= 0 or amount <= recommended:
        return amount
    return max(math.floor(recommended / ROUNDING + 1e-9) * ROUNDING, 0.0)
