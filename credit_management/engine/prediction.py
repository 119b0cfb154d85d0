"""Late-payment prediction: the probability that an open invoice is paid more than N days
late, and the day it should be paid, learned from a company's own ledger.

How it works: the model reads the company's customer invoices (paid and open), the promises
kept and broken, the disputes, the reminders sent and each customer's insurance status into a
``Ledger``; ``train`` learns from it and ``predict`` scores the open invoices.

**Features** (``FEATURES``) describe an invoice *as it was known on a reference date*: its
invoice date when learning (so that nothing learnt comes from the future), today when
scoring. From the customer's invoices paid before that date: how many, their average days
late (weighted by the amounts), the last three's average and the trend (last three minus the
average), the share paid more than N days late, the last one's days late; the invoices
overdue and unpaid on that date; the promises kept and broken and the disputes opened before
it; the channel of the last reminder sent; the behaviour score computed from those facts
(``engine/score.py``); from the invoice itself: its amount, its amount relative to the
customer's usual (the average of the invoices paid), its terms (due date minus invoice date)
and the month it falls due; the customer's insurance status (see ``INSURED``).

**Labels**: an invoice is late when paid more than ``late_days`` after its due date, or when
still open more than ``late_days`` after it (its lateness is known though its payment is not).
An invoice due less than ``late_days`` ago and still open has no label yet.

**The backtest** is a time split: the test invoices are those due in the last
``TEST_MONTHS`` months whose label is known today; the model is trained on the invoices whose
label was already known at the start of that period (``cutoff``), with their labels as known
then. On the same test invoices it measures the area under the ROC curve and the Brier score of
the probability, and the mean absolute error in days of the expected payment date (on the test
invoices paid), for the model and for the **fallback** (the customer's own history: the share
of its invoices paid late, smoothed towards the company's share by ``PRIOR_WEIGHT``
invoices, and its average days late; the company's figures for a new customer). The model is
used only if it beats the fallback on both the AUC and the Brier score (``choose``);
otherwise, or with too little history (``MIN_TRAIN``, ``MIN_TEST``), the product uses the
fallback and says why (``REASONS``). The model finally used is trained on everything known
today.

**Models**: scikit-learn's histogram gradient-boosted trees, on one thread (the server's
other work keeps the other cores): a classifier for the probability and a regressor of the
days late (absolute error: the median) for the expected date. The date's spread is honest
too: the 10 % and 90 % quantiles of the backtest's errors (actual minus expected days), per
quarter of predicted probability (``SPREAD_BANDS``).

**Explanations**: an invoice's factors are the features that move its probability most: each
feature in turn is set to the company's typical value (its median in the training set) and
the change in probability is its contribution (``predict(..., explain=N)``). The model's
most important factors are the loss of AUC on the test invoices when a feature is shuffled
(permutation importance).

Every figure is reproducible: the models are seeded (``SEED``).
"""

import functools
import hashlib
import hmac
import io
import pickle
from dataclasses import dataclass
from datetime import date as Date
from datetime import timedelta
from typing import NamedTuple

import numpy as np
from threadpoolctl import threadpool_limits

from . import score as score_engine

LATE_DAYS = 15  # default N: "late" means paid more than 15 days after the due date
TEST_MONTHS = 3  # the backtest's test period: invoices due in the last three months
# Too little history: with fewer than 20 late and 20 on-time invoices in the test period, the
# AUC's standard error (Hanley & McNeil) is above 0.05 for the AUCs seen here (0.7-0.8): the
# model could not be told from the fallback. The training set needs ten times as many
# invoices as the trees' smallest leaf (20) times the features, rounded: 500, and 50 of each
# label so that both are learnt.
MIN_TRAIN, MIN_TRAIN_EACH = 500, 50
MIN_TEST, MIN_TEST_EACH = 100, 20
PRIOR_WEIGHT = 2.0  # the fallback's smoothing: a customer's share counts as 2 invoices more
RECENT = 3  # the "last invoices" of the trend
SEED = 7
SIGNATURE = hashlib.sha256
SPREAD_BANDS = (0.25, 0.5, 0.75)  # the probability bands of the date's spread
EXPLAINED = 6  # the features an invoice's explanation is looked for in
# Why the fallback is used.
REASONS = ("history", "not_better")
# The reminder channels, by how far they go (the last one sent before the reference date).
CHANNELS = ("none", "email", "sms", "letter", "phone", "formal_notice", "handoff")
# The insurance status of the customer (credit_insurance's cover, when installed).
INSURED = ("none", "granted", "partial", "refused")

FEATURES = (
    "history_count",
    "avg_days_late",
    "recent_days_late",
    "trend_days_late",
    "late_share",
    "last_days_late",
    "overdue_count",
    "promises_kept",
    "promises_broken",
    "disputes",
    "last_channel",
    "score",
    "amount",
    "amount_ratio",
    "terms_days",
    "month",
    "insured",
)
CATEGORICAL = ("last_channel", "month", "insured")


class Invoice(NamedTuple):
    """A customer invoice (amounts in the company currency). A named tuple: a ledger holds
    hundreds of thousands, made in less than half a frozen dataclass's time."""

    id: int
    partner_id: int
    date: Date  # invoice date
    date_due: Date
    amount: float
    date_paid: Date | None = None  # paid in full on (None: open)


class Columns(NamedTuple):
    """Invoices as arrays, one entry each: what ``Invoice`` holds, the days as ordinals
    (``date.toordinal()``) and -1 for the day paid of an invoice not paid. The night reads
    its hundreds of thousands of invoices as these, without a Python object each."""

    id: np.ndarray
    partner_id: np.ndarray
    date: np.ndarray
    date_due: np.ndarray
    amount: np.ndarray
    date_paid: np.ndarray

    @classmethod
    def of(cls, invoices):
        """``invoices`` (a list of ``Invoice``, or already ``Columns``) as ``Columns``."""
        if isinstance(invoices, cls):
            return invoices
        count = len(invoices)
        return cls(
            np.fromiter((inv.id for inv in invoices), np.int64, count),
            np.fromiter((inv.partner_id for inv in invoices), np.int64, count),
            _ordinals((inv.date for inv in invoices), count),
            _ordinals((inv.date_due for inv in invoices), count),
            np.fromiter((inv.amount for inv in invoices), float, count),
            np.fromiter(
                (inv.date_paid.toordinal() if inv.date_paid else -1 for inv in invoices),
                np.int64,
                count,
            ),
        )

    @classmethod
    def of_rows(cls, rows, more=0):
        """``(columns, rest)``: the rows ``(id, customer, date, due date, amount, paid on,
        *more)``, days as ordinals (-1: not paid), as ``Columns``, and the ``more`` further
        values of each row as an integer matrix ``rest``."""
        table = np.array(rows, dtype=float).reshape(len(rows), 6 + more)
        ints = table.astype(np.int64)
        return cls(*(ints[:, i] for i in (0, 1, 2, 3)), table[:, 4], ints[:, 5]), ints[:, 6:]

    def __len__(self):
        return len(self.id)

    def take(self, which):
        """The invoices ``which`` (a mask or indexes)."""
        return Columns(*(values[which] for values in self))

    def invoices(self):
        """The list of ``Invoice``."""
        day = Date.fromordinal
        return [
            Invoice(ident, partner, day(dated), day(due), amount, day(paid) if paid >= 0 else None)
            for ident, partner, dated, due, amount, paid in zip(
                *(values.tolist() for values in self), strict=True
            )
        ]


class Ledger:
    """What the company knows: its invoices (a list of ``Invoice`` or ``Columns``, each
    given the other way when asked) and, per customer, dated events."""

    def __init__(self, invoices, promises=None, disputes=None, reminders=None, insured=None):
        if isinstance(invoices, Columns):
            self.columns = invoices
        else:
            self.invoices = list(invoices)
        self.promises = promises or {}  # partner: [(date closed, kept)]
        self.disputes = disputes or {}  # partner: [date opened]
        self.reminders = reminders or {}  # partner: [(date, channel code)]
        self.insured = insured or {}  # partner: code of INSURED

    @functools.cached_property
    def invoices(self):
        return self.columns.invoices()

    @functools.cached_property
    def columns(self):
        return Columns.of(self.invoices)


@dataclass
class Trained:
    """The result of a training: what to use, its figures, and the models (or None)."""

    late_days: int
    state: str  # "model" | "fallback"
    reason: str | None  # one of REASONS when state is "fallback"
    figures: dict
    importances: list  # [(feature, importance)], most important first
    prior: float  # the company's share of invoices paid late
    median_delay: float  # the company's median days late
    reference: list = None  # the typical value of each feature (explanations)
    models: dict = None  # classifier, delay (the regressor), spread (see ``_spread``)


class Prediction(NamedTuple):
    """An open invoice's prediction, with its factors (``predict``; the night scores in
    arrays, ``scores``)."""

    invoice_id: int
    probability: float
    delay: float  # expected days between the due date and the payment
    delay_low: float  # 10 % quantile of the backtest's errors around it
    delay_high: float  # 90 % quantile
    basis: str  # "model" | "fallback"
    # ((feature, value, change of probability), ...), strongest first (``predict``'s
    # ``explain``)
    factors: tuple = ()


def days_late(invoice):
    return (invoice.date_paid - invoice.date_due).days


# ------------------------------------------------------------
# FEATURES
# ------------------------------------------------------------


# A key sorting events by customer then day: customer * _SPAN + the day's ordinal (every
# ordinal up to the year 2870 is below _SPAN).
_SPAN = 1 << 20


def _ordinals(days, count):
    return np.fromiter((day.toordinal() for day in days), dtype=np.int64, count=count)


def _integers(values):
    """``values`` (any iterable of integers) as an array."""
    if isinstance(values, np.ndarray):
        return values.astype(np.int64, copy=False)
    values = list(values)
    return np.fromiter(values, np.int64, len(values))


_EPOCH = Date(1970, 1, 1).toordinal()


def _months(days):
    """The month (1 to 12) of each day (ordinals)."""
    return (days - _EPOCH).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12 + 1


def _prefix(values):
    """Prefix sums with a leading 0: ``sums[j] - sums[i]`` is the sum of ``values[i:j]``."""
    return np.concatenate(([0], np.cumsum(values)))


class Histories:
    """Every customer's history as arrays sorted by customer and day, with prefix sums: the
    features of any invoices, each as known on its own date, in a few vectorised passes
    (``numpy.searchsorted`` on the keys ``customer * _SPAN + day``). Amounts are summed in
    cents, exactly: the same history whatever the order of the invoices."""

    def __init__(self, ledger, late_days, partners=None):
        invoices = ledger.columns
        if partners is not None:
            invoices = invoices.take(np.isin(invoices.partner_id, _integers(partners)))
        self.customers = np.unique(invoices.partner_id)
        self.index = dict(zip(self.customers.tolist(), range(len(self.customers)), strict=True))
        part = self._parts(invoices)
        due, paid, ids = invoices.date_due, invoices.date_paid, invoices.id
        cents = np.rint(invoices.amount * 100)
        # The invoices paid, by customer and day paid (ties in order of their ids).
        settled = paid >= 0
        order = np.lexsort((ids[settled], paid[settled], part[settled]))
        paid_part, paid_day = part[settled][order], paid[settled][order]
        paid_due, paid_cents = due[settled][order], cents[settled][order].astype(np.int64)
        self.paid_keys = paid_part * _SPAN + paid_day
        self.paid_start = np.searchsorted(self.paid_keys, np.arange(len(self.index)) * _SPAN)
        delays = np.maximum(paid_day - paid_due, 0)
        self.delays = delays
        self.amounts = _prefix(paid_cents)
        self.weighted = _prefix(paid_cents * delays)
        self.late = _prefix(delays > late_days)
        self.after_due = _prefix(delays > 0)
        self.delay_sum = _prefix(delays)
        # Overdue on day d: due before d and not paid before d (max(paid, due) >= d).
        self.dues = np.sort(part * _SPAN + due)
        self.settled = np.sort(paid_part * _SPAN + np.maximum(paid_day, paid_due))
        self.kept = self._events(ledger.promises, lambda events: [d for d, kept in events if kept])
        self.broken = self._events(
            ledger.promises, lambda events: [d for d, kept in events if not kept]
        )
        self.disputes = self._events(ledger.disputes, lambda events: events)
        reminders = [
            (self.index[partner] * _SPAN + day.toordinal(), channel)
            for partner, events in ledger.reminders.items()
            if partner in self.index
            for day, channel in events
        ]
        # The last reminder of a day is the one that went furthest (sorted by channel).
        reminders.sort()
        self.reminder_keys = np.array([key for key, _c in reminders], dtype=np.int64)
        self.reminder_channels = np.array([c for _k, c in reminders], dtype=np.int64)
        self.insured = np.array(
            [ledger.insured.get(partner, 0) for partner in self.index], dtype=np.int64
        )

    def _events(self, by_partner, days):
        keys = [
            self.index[partner] * _SPAN + day.toordinal()
            for partner, events in by_partner.items()
            if partner in self.index
            for day in days(events)
        ]
        return np.sort(np.array(keys, dtype=np.int64))

    @staticmethod
    def _before(keys, part, on):
        """How many of each customer's events ``keys`` fall strictly before its day ``on``."""
        return np.searchsorted(keys, part * _SPAN + on) - np.searchsorted(keys, part * _SPAN)

    def _paid_before(self, part, on):
        """``(start, end)``: the customers' invoices paid before ``on`` are
        ``[start, end)`` of the paid arrays."""
        start = self.paid_start[part]
        return start, np.searchsorted(self.paid_keys, part * _SPAN + on)

    def _average_days_late(self, start, end):
        """The average days late of the invoices paid ``[start, end)``, weighted by their
        amounts (a plain average when they sum to nothing)."""
        amount_sum = self.amounts[end] - self.amounts[start]
        return np.where(
            amount_sum > 0,
            (self.weighted[end] - self.weighted[start]) / np.maximum(amount_sum, 1),
            (self.delay_sum[end] - self.delay_sum[start]) / np.maximum(end - start, 1),
        )

    def _customers(self, part, on):
        """The customer's side of the features (``FEATURES`` but the invoice's own), and its
        usual amount, on each ``(part, on)``: a matrix of one row per pair."""
        start, end = self._paid_before(part, on)
        n = end - start
        has = n > 0
        some = np.maximum(n, 1)
        amount_sum = self.amounts[end] - self.amounts[start]
        avg = np.where(has, self._average_days_late(start, end), 0.0)
        recent_n = np.minimum(n, RECENT)
        recent = np.where(
            has,
            (self.delay_sum[end] - self.delay_sum[end - recent_n]) / np.maximum(recent_n, 1),
            0.0,
        )
        late_share = np.where(has, (self.late[end] - self.late[start]) / some, 0.0)
        after_due = np.where(has, (self.after_due[end] - self.after_due[start]) / some, 0.0)
        last = (
            np.where(has, self.delays[np.maximum(end - 1, 0)], 0)
            if len(self.delays)
            else np.zeros(len(part))
        )
        broken = self._before(self.broken, part, on)
        position = np.searchsorted(self.reminder_keys, part * _SPAN + on)
        first = np.searchsorted(self.reminder_keys, part * _SPAN)
        channel = (
            np.where(position > first, self.reminder_channels[np.maximum(position - 1, 0)], 0)
            if len(self.reminder_keys)
            else np.zeros(len(part))
        )
        score = np.array(
            [
                score_engine.score(
                    score_engine.ScoreFacts(
                        invoice_count=int(count),
                        avg_days_late=float(days),
                        late_share=float(share),
                        promises_broken=int(promises),
                        disputes_rejected=0,
                    )
                )
                for count, days, share, promises in zip(n, avg, after_due, broken, strict=True)
            ],
            dtype=float,
        )
        overdue = self._before(self.dues, part, on) - self._before(self.settled, part, on)
        usual = np.where(has, amount_sum / 100 / some, 0.0)
        return np.column_stack(
            (
                n,
                avg,
                recent,
                recent - avg,
                late_share,
                last,
                overdue,
                self._before(self.kept, part, on),
                broken,
                self._before(self.disputes, part, on),
                channel,
                score,
                usual,
            )
        ).astype(float)

    @staticmethod
    def _reference_days(invoices, on):
        """The day each invoice is known as of: its date (``on`` None), or ``on``."""
        if on is None:
            return invoices.date
        return np.full(len(invoices), on.toordinal(), dtype=np.int64)

    def _parts(self, invoices):
        """The position of each invoice's customer (``KeyError`` for a customer unknown)."""
        partners = invoices.partner_id
        part = np.searchsorted(self.customers, partners)
        unknown = partners
        if len(self.customers):
            found = self.customers[np.minimum(part, len(self.customers) - 1)]
            unknown = partners[found != partners]
        if len(unknown):
            raise KeyError(int(unknown[0]))
        return part

    def matrix(self, invoices, on=None):
        """The feature matrix of ``invoices`` (a list of ``Invoice`` or ``Columns``), each as
        of its invoice date (``on`` None) or as of ``on``."""
        invoices = Columns.of(invoices)
        if not len(invoices):
            return np.zeros((0, len(FEATURES)))
        part = self._parts(invoices)
        due, dated, amount = invoices.date_due, invoices.date, invoices.amount
        days = self._reference_days(invoices, on)
        month = _months(due)
        # The customer's side once per customer and day (the scoring reads every invoice
        # of a customer on the same day).
        pairs, inverse = np.unique(part * _SPAN + days, return_inverse=True)
        customers = self._customers(pairs // _SPAN, pairs % _SPAN)[inverse.reshape(-1)]
        n, usual = customers[:, 0], customers[:, -1]
        # The invoices overdue but this one.
        customers[:, 6] = np.maximum(customers[:, 6] - (due < days), 0)
        ratio = np.where((n > 0) & (usual > 0), amount / np.where(usual > 0, usual, 1.0), 1.0)
        return np.column_stack(
            (
                customers[:, :-1],
                np.log10(np.maximum(amount, 1.0)),
                ratio,
                due - dated,
                month,
                self.insured[part],
            )
        ).astype(float)

    def fallback(self, invoices, on, prior, median_delay):
        """The customers' own figures for ``invoices`` (a list of ``Invoice`` or ``Columns``)
        on ``on`` (a day, or None: each invoice's date): (probabilities, average days late)."""
        invoices = Columns.of(invoices)
        part = self._parts(invoices)
        days = self._reference_days(invoices, on)
        start, end = self._paid_before(part, days)
        n = end - start
        late = self.late[end] - self.late[start]
        probability = (late + PRIOR_WEIGHT * prior) / (n + PRIOR_WEIGHT)
        return probability, np.where(n > 0, self._average_days_late(start, end), median_delay)

    def delays_before(self, partner, on):
        """The days late of ``partner``'s invoices paid before ``on``, in paying order."""
        start, end = self._paid_before(np.array([self.index[partner]]), np.array([on.toordinal()]))
        return self.delays[start[0] : end[0]]


def histories(ledger, late_days, partners=None):
    """The ``Histories`` of the ledger's customers (of ``partners`` only, when given)."""
    return Histories(ledger, late_days, partners)


def matrix(invoices, stories, on=None):
    """The feature matrix of ``invoices``, each as of its invoice date (``on`` None) or as of
    ``on``."""
    return stories.matrix(invoices, on)


# ------------------------------------------------------------
# LABELS AND THE TIME SPLIT
# ------------------------------------------------------------


def label(invoice, on, late_days):
    """On date ``on``: (late, days late or None when unknown), or None when not known yet."""
    if invoice.date_paid and invoice.date_paid < on:
        delay = days_late(invoice)
        return delay > late_days, delay
    if (on - invoice.date_due).days > late_days:
        return True, None
    return None


def labelled(invoices, on, late_days, due_from=None):
    """``[(invoice, late, delay)]`` of the invoices due from ``due_from`` whose label is
    known on ``on``."""
    found = []
    for invoice in invoices:
        if due_from and invoice.date_due < due_from:
            continue
        if invoice.date_due >= on:
            continue
        known = label(invoice, on, late_days)
        if known is not None:
            found.append((invoice, *known))
    return found


def cutoff_of(today, late_days, months=TEST_MONTHS):
    """The start of the test period: the test invoices are due from it to ``today`` minus
    ``late_days`` (so that each one's label is known)."""
    end = today - timedelta(days=late_days)
    return end - timedelta(days=round(months * 30.44))


# ------------------------------------------------------------
# METRICS
# ------------------------------------------------------------


def auc(labels, probabilities):
    """Area under the ROC curve (ties counted half), by the ranks: Mann-Whitney's U."""
    labels = np.asarray(labels, dtype=bool)
    positives = int(labels.sum())
    negatives = len(labels) - positives
    if not positives or not negatives:
        return float("nan")
    order = np.argsort(probabilities, kind="mergesort")
    sorted_probabilities = np.asarray(probabilities)[order]
    ranks = np.empty(len(labels), dtype=float)
    # Average ranks of ties.
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and sorted_probabilities[end + 1] == sorted_probabilities[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2 + 1
        start = end + 1
    rank_sum = ranks[labels].sum()
    return float((rank_sum - positives * (positives + 1) / 2) / (positives * negatives))


def brier(labels, probabilities):
    labels = np.asarray(labels, dtype=float)
    return float(np.mean((np.asarray(probabilities, dtype=float) - labels) ** 2))


def mae(actual, expected):
    if not len(actual):
        return float("nan")
    return float(np.mean(np.abs(np.asarray(actual, dtype=float) - np.asarray(expected))))


def choose(figures):
    """``"model"`` when the model beats the fallback on both the AUC and the Brier score."""
    if figures["auc"] > figures["auc_fallback"] and figures["brier"] < figures["brier_fallback"]:
        return "model"
    return "fallback"


# ------------------------------------------------------------
# TRAINING
# ------------------------------------------------------------


def _one_thread():
    """scikit-learn on one thread: its OpenMP library loaded first, so that the limit holds
    (a limit set before it is loaded does not; nor would thread pools under a test's frozen
    clock end)."""
    import sklearn.ensemble  # noqa: F401, PLC0415 (see _models)

    return threadpool_limits(1)


def _models(features, late, delays):
    # scikit-learn is imported when a model is trained or scored, not by every Odoo process
    # (it weighs 60 MB).
    from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: PLC0415
    from sklearn.ensemble import HistGradientBoostingRegressor  # noqa: PLC0415

    categorical = [name in CATEGORICAL for name in FEATURES]
    # Small trees, learnt slowly: a company's ledger of a few hundred invoices is not
    # overfitted, and 200,000 invoices are learnt in seconds.
    common = {
        "max_iter": 100,
        "learning_rate": 0.05,
        "max_leaf_nodes": 15,
        "min_samples_leaf": 30,
        "l2_regularization": 1.0,
        "categorical_features": categorical,
        "early_stopping": False,
        "random_state": SEED,
    }
    models = {"classifier": HistGradientBoostingClassifier(**common).fit(features, late)}
    known = ~np.isnan(delays)
    if known.sum() >= MIN_TRAIN_EACH:
        x, y = features[known], delays[known]
        models["delay"] = HistGradientBoostingRegressor(loss="absolute_error", **common).fit(x, y)
    return models


def _arrays(rows):
    late = np.array([row[1] for row in rows], dtype=int)
    delays = np.array([np.nan if row[2] is None else row[2] for row in rows], dtype=float)
    return late, delays


def company_figures(rows):
    late, delays = _arrays(rows)
    known = delays[~np.isnan(delays)]
    prior = float(late.mean()) if len(late) else 0.0
    median_delay = float(np.median(np.maximum(known, 0))) if len(known) else 0.0
    return prior, median_delay


def train(ledger, today, late_days=LATE_DAYS, months=TEST_MONTHS):
    """Backtest then train on everything known ``today``; see the module's docstring."""
    stories = histories(ledger, late_days)
    cutoff = cutoff_of(today, late_days, months)
    train_rows = labelled(ledger.invoices, cutoff, late_days)
    test_rows = labelled(ledger.invoices, today, late_days, due_from=cutoff)
    test_rows = [row for row in test_rows if row[0].date_due < today - timedelta(days=late_days)]
    prior, median_delay = company_figures(train_rows)
    figures = {
        "train_size": len(train_rows),
        "test_size": len(test_rows),
        "late_share": float(np.mean([row[1] for row in test_rows])) if test_rows else 0.0,
        "date_cutoff": cutoff,
    }
    result = Trained(late_days, "fallback", "history", figures, [], prior, median_delay)
    train_late, train_delays = _arrays(train_rows)
    test_late, test_delays = _arrays(test_rows)
    enough = (
        len(train_rows) >= MIN_TRAIN
        and min(train_late.sum(), len(train_late) - train_late.sum()) >= MIN_TRAIN_EACH
        and len(test_rows) >= MIN_TEST
        and min(test_late.sum(), len(test_late) - test_late.sum()) >= MIN_TEST_EACH
    )
    if not enough:
        return result
    test_invoices = [row[0] for row in test_rows]
    # The fallback on the test invoices, as known on their invoice dates.
    fallback_probability, fallback_delay = stories.fallback(
        test_invoices, None, prior, median_delay
    )
    # The model learnt before the cutoff, tested after it.
    x_train = matrix([row[0] for row in train_rows], stories)
    x_test = matrix(test_invoices, stories)
    with _one_thread():
        models = _models(x_train, train_late, train_delays)
        probability = models["classifier"].predict_proba(x_test)[:, 1]
    paid = ~np.isnan(test_delays)
    actual = np.maximum(test_delays[paid], 0)
    expected = (
        np.maximum(models["delay"].predict(x_test[paid]), 0)
        if "delay" in models
        else fallback_delay[paid]
    )
    spread = _spread(probability[paid], actual - expected)
    figures.update(
        auc=auc(test_late, probability),
        auc_fallback=auc(test_late, fallback_probability),
        brier=brier(test_late, probability),
        brier_fallback=brier(test_late, fallback_probability),
        mae_days=mae(actual, expected),
        mae_days_fallback=mae(actual, fallback_delay[paid]),
    )
    with _one_thread():
        result.importances = _importances(models["classifier"], x_test, test_late)
    result.state = choose(figures)
    result.reason = None if result.state == "model" else "not_better"
    if result.state == "fallback":
        return result
    # The model used from now on: everything whose label is known today.
    all_rows = labelled(ledger.invoices, today, late_days)
    x_all = matrix([row[0] for row in all_rows], stories)
    all_late, all_delays = _arrays(all_rows)
    result.prior, result.median_delay = company_figures(all_rows)
    with _one_thread():
        result.models = _models(x_all, all_late, all_delays)
    result.models["spread"] = spread
    result.reference = [float(value) for value in np.median(x_all, axis=0)]
    figures["final_size"] = len(all_rows)
    return result


def _spread(probability, errors):
    """Per band of ``SPREAD_BANDS``: the 10 % and 90 % quantiles of the errors in days."""
    bands = np.searchsorted(SPREAD_BANDS, probability)
    everything = (float(np.quantile(errors, 0.1)), float(np.quantile(errors, 0.9)))
    found = []
    for band in range(len(SPREAD_BANDS) + 1):
        inside = errors[bands == band]
        found.append(
            (float(np.quantile(inside, 0.1)), float(np.quantile(inside, 0.9)))
            if len(inside) >= MIN_TEST_EACH
            else everything
        )
    return found


def _importances(classifier, features, late, sample=4000, repeats=3):
    """The loss of AUC when each feature is shuffled, on (a sample of) the test invoices."""
    from sklearn.inspection import permutation_importance  # noqa: PLC0415 (see _models)

    rng = np.random.default_rng(SEED)
    if len(late) > sample:
        keep = rng.choice(len(late), sample, replace=False)
        features, late = features[keep], late[keep]
    found = permutation_importance(
        classifier, features, late, scoring="roc_auc", n_repeats=repeats, random_state=SEED
    )
    pairs = zip(FEATURES, found.importances_mean, strict=True)
    return sorted(((name, float(value)) for name, value in pairs), key=lambda pair: -pair[1])


# ------------------------------------------------------------
# SCORING
# ------------------------------------------------------------


class Scores(NamedTuple):
    """Open invoices scored (``scores``), as arrays: each invoice's id, customer and due day
    (an ordinal), its probability of being paid late and its expected days late with their
    spread; the basis of them all ("model" or "fallback")."""

    invoice_id: np.ndarray
    partner_id: np.ndarray
    date_due: np.ndarray
    probability: np.ndarray
    delay: np.ndarray
    delay_low: np.ndarray
    delay_high: np.ndarray
    basis: str


def scores(trained, ledger, invoices, today):
    """The ``Scores`` of ``invoices`` (open ones: a list of ``Invoice`` or ``Columns``), as
    known ``today``: the night's scoring, set-based, explaining nothing."""
    return _scored(trained, ledger, Columns.of(invoices), today)[0]


def _scored(trained, ledger, invoices, today):
    """``(Scores, feature matrix or None, Histories)`` of the ``Columns`` ``invoices``."""
    stories = histories(ledger, trained.late_days, np.unique(invoices.partner_id))
    if trained.state != "model":
        probability, delay, low, high = _fallback(trained, stories, invoices, today)
        basis, x = "fallback", None
    else:
        x = matrix(invoices, stories, on=today)
        models = trained.models
        with _one_thread():
            probability = models["classifier"].predict_proba(x)[:, 1] if len(x) else np.zeros(0)
            if "delay" in models and len(x):
                delay = np.maximum(models["delay"].predict(x), 0)
            else:
                delay = np.full(len(invoices), trained.median_delay)
        spread = np.array(models["spread"])[np.searchsorted(SPREAD_BANDS, probability)]
        low = np.minimum(np.maximum(delay + spread[:, 0], 0), delay)
        high = np.maximum(delay + spread[:, 1], delay)
        basis = "model"
    found = Scores(
        invoices.id, invoices.partner_id, invoices.date_due, probability, delay, low, high, basis
    )
    return found, x, stories


def _fallback(trained, stories, invoices, today):
    """The customers' own figures for ``invoices`` on ``today``: probabilities, days late and
    their spread (the 10 % and 90 % quantiles of the customer's days late)."""
    probability, delay = stories.fallback(invoices, today, trained.prior, trained.median_delay)
    part = stories._parts(invoices)
    start, end = stories._paid_before(part, np.full(len(part), today.toordinal()))
    count = end - start
    # Each customer's days late paid before today, sorted within the customer: its paid
    # invoices before today are the first of its paid arrays.
    before = stories.paid_keys % _SPAN < today.toordinal()
    customer = stories.paid_keys[before] // _SPAN
    ordered = stories.delays[before][np.lexsort((stories.delays[before], customer))]
    first = np.searchsorted(customer, part)  # customer is sorted: the paid arrays are
    some = count > 0
    last = np.maximum(count - 1, 0)
    low_at = first + np.floor(0.1 * last).astype(np.int64)
    high_at = first + np.ceil(0.9 * last).astype(np.int64)
    low = np.where(some, ordered[np.where(some, low_at, 0)] if len(ordered) else 0, delay)
    high = np.where(some, ordered[np.where(some, high_at, 0)] if len(ordered) else 0, delay)
    return probability, delay, np.minimum(low, delay), np.maximum(high, delay)


def predict(trained, ledger, invoices, today, explain=0):
    """The ``Prediction`` of each of ``invoices`` (open ones), as known ``today``; each
    explained by its ``explain`` strongest factors (explaining costs as many predictions as
    there are factors to try: an invoice is explained when it is read)."""
    invoices = Columns.of(invoices)
    if not len(invoices):
        return []
    found, x, stories = _scored(trained, ledger, invoices, today)
    if not explain:
        factors = [()] * len(invoices)
    elif x is not None:
        with _one_thread():
            factors = _factors(trained, x, found.probability, explain)
    else:
        factors = _fallback_factors(trained, stories, invoices, today, found.delay)
    return [
        Prediction(ident, p, d, lo, hi, found.basis, f)
        for ident, p, d, lo, hi, f in zip(
            found.invoice_id.tolist(),
            found.probability.tolist(),
            found.delay.tolist(),
            found.delay_low.tolist(),
            found.delay_high.tolist(),
            factors,
            strict=True,
        )
    ]


def _fallback_factors(trained, stories, invoices, today, delays):
    """The fallback's reasons: the customer's share of invoices paid late and its average
    days late (none for a customer without any invoice paid)."""
    found = []
    for partner, delay in zip(invoices.partner_id.tolist(), delays.tolist(), strict=True):
        paid = stories.delays_before(partner, today)
        if not len(paid):
            found.append(())
            continue
        late_share = float(np.count_nonzero(paid > trained.late_days)) / len(paid)
        found.append((("late_share", late_share, None), ("avg_days_late", float(delay), None)))
    return found


def riskiest(found, groups):
    """The indexes of the riskiest of ``found`` (``Scores``) in each group (``groups``: an
    array, the group of each invoice scored, such as the move of each installment), ordered
    by group; the first scored wins a tie."""
    order = np.lexsort((-found.probability, groups))
    ordered = groups[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    return order[first]


class Stored(NamedTuple):
    """Predictions as stored, one per group of installments (an invoice), as arrays sorted by
    group: its customer, the probability rounded to four places, whether it is likely late,
    the expected day and its spread (ordinals), the basis."""

    group: np.ndarray
    partner_id: np.ndarray
    probability: np.ndarray
    likely_late: np.ndarray
    expected: np.ndarray
    earliest: np.ndarray
    latest: np.ndarray
    basis: np.ndarray

    @classmethod
    def of(cls, found, groups, threshold):
        """What to store of ``found`` (``Scores``): each group's riskiest installment
        (``riskiest``), likely late from ``threshold`` on; the days as predicted (from the
        due date), even when already past."""
        pick = riskiest(found, groups)
        probability = found.probability[pick]
        due = found.date_due[pick]
        days = [due + np.rint(delays[pick]).astype(np.int64) for delays in found[4:7]]
        return cls(
            groups[pick],
            found.partner_id[pick],
            np.round(probability, 4),
            probability >= threshold,
            *days,
            np.full(len(pick), found.basis, dtype=object),
        )

    @classmethod
    def of_rows(cls, rows):
        """The rows ``(group, customer, probability, likely late, expected, earliest,
        latest, basis)`` (days as ordinals) as ``Stored``."""
        columns = list(zip(*rows, strict=True)) or [()] * 8
        ints = (np.array(values, dtype=np.int64) for values in columns[4:7])
        found = cls(
            np.array(columns[0], dtype=np.int64),
            np.array(columns[1], dtype=np.int64),
            np.array(columns[2], dtype=float),
            np.array(columns[3], dtype=bool),
            *ints,
            np.array(columns[7], dtype=object),
        )
        return found.take(np.argsort(found.group, kind="stable"))

    def take(self, which):
        return Stored(*(values[which] for values in self))

    def changes(self, stored):
        """``(to write, groups gone)``: the rows of ``self`` that differ from ``stored`` (or
        are not in it), and the groups of ``stored`` not in ``self``."""
        at = np.searchsorted(stored.group, self.group)
        inside = np.minimum(at, max(len(stored.group) - 1, 0))
        same = np.zeros(len(self.group), dtype=bool)
        if len(stored.group):
            same = stored.group[inside] == self.group
            for mine, theirs in zip(self[1:], stored[1:], strict=True):
                same &= theirs[inside] == mine
        gone = stored.group[~np.isin(stored.group, self.group)]
        return self.take(~same), gone


def _factors(trained, x, probability, count):
    """The ``count`` features whose typical value changes each probability most."""
    classifier = trained.models["classifier"]
    # Only the features that matter most for the model (the first EXPLAINED by importance).
    names = [name for name, value in trained.importances if value > 0][:EXPLAINED] or list(FEATURES)
    changes = np.zeros((len(x), len(names)))
    for column, name in enumerate(names):
        index = FEATURES.index(name)
        typical = trained.reference[index]
        moved = x[:, index] != typical
        if not moved.any():
            continue
        changed = x[moved].copy()
        changed[:, index] = typical
        changes[moved, column] = probability[moved] - classifier.predict_proba(changed)[:, 1]
    found = []
    order = np.argsort(-np.abs(changes), axis=1)[:, :count]
    for row, columns in enumerate(order):
        found.append(
            tuple(
                (names[c], float(x[row, FEATURES.index(names[c])]), float(changes[row, c]))
                for c in columns
                if abs(changes[row, c]) >= 0.01
            )
        )
    return found


# ------------------------------------------------------------
# STORAGE
# ------------------------------------------------------------


def dumps(trained, key):
    """The trained result as bytes, signed with ``key`` (HMAC-SHA256 of the pickle)."""
    buffer = io.BytesIO()
    pickle.dump(trained, buffer, protocol=pickle.HIGHEST_PROTOCOL)
    payload = buffer.getvalue()
    return hmac.new(key, payload, SIGNATURE).digest() + payload


def loads(blob, key):
    """The trained result from ``dumps``; ``ValueError`` when the signature is wrong (a
    model file not written by this database is never unpickled)."""
    size = SIGNATURE().digest_size
    signature, payload = blob[:size], blob[size:]
    if len(blob) <= size or not hmac.compare_digest(
        signature, hmac.new(key, payload, SIGNATURE).digest()
    ):
        raise ValueError("the model's signature does not match")
    return pickle.loads(payload)  # signed by this database: checked above
