"""The late-payment prediction (engine/prediction.py): features without the future, labels,
metrics, the backtest on a generated ledger whose late payers are known, the fallback, the
explanations and the signed storage."""

import math
import random
import statistics
from dataclasses import replace
from datetime import date
from datetime import timedelta

import numpy as np
import pytest
from engine import prediction
from engine.prediction import Invoice
from engine.prediction import Ledger
from prediction_ledger import TODAY
from prediction_ledger import generate
from prediction_ledger import late_payers
from sklearn.metrics import brier_score_loss
from sklearn.metrics import roc_auc_score


@pytest.fixture(scope="module")
def world():
    ledger = generate(customers=400, seed=1)
    trained = prediction.train(ledger, TODAY)
    opened = [invoice for invoice in ledger.invoices if invoice.date_paid is None]
    return ledger, trained, opened, prediction.predict(trained, ledger, opened, TODAY, explain=3)


def test_the_model_finds_the_late_payers_and_beats_the_fallback(world):
    """Targets: the model is used (it beats the fallback on the AUC and the Brier score),
    its AUC on the three test months is at least 0.85 and its expected date at least a day
    closer than the customer's average; the open invoices of the known late payers average
    a probability above 0.6, the others below 0.15, and nine of ten of the invoices ranked
    in the top fifth are late payers'."""
    ledger, trained, opened, predictions = world
    figures = trained.figures
    print(
        "\nbacktest on {test_size} invoices (trained on {train_size}): AUC {auc:.3f} against "
        "{auc_fallback:.3f}, Brier {brier:.3f} against {brier_fallback:.3f}, MAE {mae_days:.1f} "
        "days against {mae_days_fallback:.1f}".format(**figures)
    )
    assert trained.state == "model" and trained.reason is None
    assert figures["auc"] >= 0.85
    assert figures["auc"] > figures["auc_fallback"]
    assert figures["brier"] < figures["brier_fallback"]
    assert figures["mae_days"] < figures["mae_days_fallback"] - 1
    assert figures["test_size"] >= prediction.MIN_TEST and figures["train_size"] > 5000
    known = late_payers(ledger)
    pairs = list(zip(predictions, opened, strict=True))
    theirs = [p.probability for p, inv in pairs if inv.partner_id in known]
    others = [p.probability for p, inv in pairs if inv.partner_id not in known]
    assert statistics.mean(theirs) > 0.6 and statistics.mean(others) < 0.15
    ranked = sorted(zip(predictions, opened, strict=True), key=lambda pair: -pair[0].probability)
    top = ranked[: len(ranked) // 5]
    assert sum(inv.partner_id in known for _p, inv in top) >= 0.9 * len(top)


def test_the_worsening_customer_is_seen_before_its_average_moves(world):
    """A customer who started paying late recently: its average is still low, the model
    reads the trend and flags the open invoices (higher than the fallback does)."""
    ledger, trained, opened, predictions = world
    fallback = replace(trained, state="fallback")
    fallbacks = {p.invoice_id: p for p in prediction.predict(fallback, ledger, opened, TODAY)}
    recent = {
        partner
        for partner, habit in ledger.habits.items()
        if habit == "worsening" and (TODAY - ledger.turns[partner]).days < 150
    }
    pairs = [
        (p.probability, fallbacks[p.invoice_id].probability)
        for p, inv in zip(predictions, opened, strict=True)
        if inv.partner_id in recent
    ]
    assert len(pairs) >= 5
    assert statistics.mean(model for model, _ in pairs) > statistics.mean(fb for _, fb in pairs)


def test_predictions_have_a_date_spread_and_readable_factors(world):
    ledger, _trained, opened, predictions = world
    for p in predictions:
        assert 0 <= p.probability <= 1
        assert 0 <= p.delay_low <= p.delay <= p.delay_high
        assert p.basis == "model"
    known = late_payers(ledger)
    flagged = [p for p, inv in zip(predictions, opened, strict=True) if inv.partner_id in known]
    assert all(p.factors for p in flagged if p.probability > 0.5)
    first = max(flagged, key=lambda p: p.probability)
    name, _value, change = first.factors[0]
    assert name in prediction.FEATURES and change > 0  # it raises the probability
    # Strongest first.
    strengths = [abs(change) for _name, _value, change in first.factors]
    assert strengths == sorted(strengths, reverse=True)


def test_explained_on_demand_as_in_the_whole_ledger(world):
    """The nightly scoring explains nothing (explaining costs a prediction per factor
    tried); an invoice read alone, with its customer's part of the ledger only, gets the
    probability and the factors it has among all the invoices."""
    ledger, trained, opened, predictions = world
    night = prediction.predict(trained, ledger, opened, TODAY)
    assert all(p.factors == () for p in night)
    assert [p.probability for p in night] == [p.probability for p in predictions]
    invoice, expected = opened[7], predictions[7]
    own = Ledger([inv for inv in ledger.invoices if inv.partner_id == invoice.partner_id])
    own.promises, own.disputes = ledger.promises, ledger.disputes
    own.reminders, own.insured = ledger.reminders, ledger.insured
    (alone,) = prediction.predict(trained, own, [invoice], TODAY, explain=3)
    assert alone == expected and alone.factors


def test_histories_do_not_depend_on_the_invoices_order(world):
    """Each customer's history sums amounts in cents: the same features whatever the
    order the ledger's invoices come in."""
    ledger, _trained, opened, _predictions = world
    shuffled = Ledger(
        random.Random(2).sample(ledger.invoices, len(ledger.invoices)),
        ledger.promises,
        ledger.disputes,
        ledger.reminders,
        ledger.insured,
    )
    first = prediction.matrix(opened, prediction.histories(ledger, 15), on=TODAY)
    second = prediction.matrix(opened, prediction.histories(shuffled, 15), on=TODAY)
    assert first.tolist() == second.tolist()


def test_the_night_reads_columns_as_invoices(world):
    """The night reads its ledger as arrays (``Columns``, days as ordinals): the same
    invoices, the same scores as the ``Invoice`` tuples give, and the same predictions."""
    ledger, trained, opened, predictions = world
    rows = [
        (
            inv.id,
            inv.partner_id,
            inv.date.toordinal(),
            inv.date_due.toordinal(),
            inv.amount,
            inv.date_paid.toordinal() if inv.date_paid else -1,
            inv.id * 10,
        )
        for inv in ledger.invoices
    ]
    columns, more = prediction.Columns.of_rows(rows, more=1)
    assert more[:, 0].tolist() == [inv.id * 10 for inv in ledger.invoices]
    nothing, none_more = prediction.Columns.of_rows([], more=1)
    assert len(nothing) == 0 and none_more[:, 0].tolist() == []
    empty = Ledger(nothing)
    assert prediction.scores(trained, empty, nothing, TODAY).probability.tolist() == []
    stored = prediction.Stored.of(
        prediction.scores(trained, empty, nothing, TODAY), none_more[:, 0], 0.5
    )
    assert stored.group.tolist() == []
    read = Ledger(columns, ledger.promises, ledger.disputes, ledger.reminders, ledger.insured)
    assert read.invoices == ledger.invoices
    found = prediction.scores(trained, read, columns.take(columns.date_paid < 0), TODAY)
    assert found.basis == "model"
    assert found.invoice_id.tolist() == [inv.id for inv in opened]
    assert found.probability.tolist() == [p.probability for p in predictions]
    assert found.delay_low.tolist() == [p.delay_low for p in predictions]
    assert found.delay_high.tolist() == [p.delay_high for p in predictions]
    assert prediction.predict(trained, read, opened, TODAY, explain=3) == predictions
    with pytest.raises(KeyError):
        prediction.histories(read, 15, {1, 2}).matrix(opened, TODAY)


def test_the_night_stores_each_invoice_riskiest_installment_once():
    """An invoice's installments are scored each; its riskiest is stored (the first on a
    tie), its days as predicted from the due date; a night writes only the rows that
    changed, and removes those of the invoices no longer open."""
    due = date(2026, 12, 1).toordinal()
    found = prediction.Scores(
        invoice_id=np.array([11, 12, 21, 31, 32]),
        partner_id=np.array([5, 5, 6, 7, 7]),
        date_due=np.array([due, due + 30, due, due, due + 30]),
        probability=np.array([0.2, 0.61237, 0.5, 0.3, 0.3]),
        delay=np.array([1.0, 12.4, 3.5, 0.0, 8.0]),
        delay_low=np.array([0.0, 2.6, 0.0, 0.0, 1.0]),
        delay_high=np.array([9.0, 30.5, 8.0, 4.0, 20.0]),
        basis="model",
    )
    moves = np.array([100, 100, 200, 300, 300])
    stored = prediction.Stored.of(found, moves, threshold=0.5)
    assert stored.group.tolist() == [100, 200, 300]
    assert stored.probability.tolist() == [0.6124, 0.5, 0.3]
    assert stored.likely_late.tolist() == [True, True, False]
    # Rounded half to even, as Python rounds: 12.4 -> 12, 3.5 -> 4, 30.5 -> 30.
    assert stored.expected.tolist() == [due + 42, due + 4, due]
    assert stored.earliest.tolist() == [due + 33, due, due]
    assert stored.latest.tolist() == [due + 60, due + 8, due + 4]
    assert stored.basis.tolist() == ["model"] * 3
    rows = [
        (int(group), int(partner), float(p), bool(likely), int(e), int(lo), int(hi), basis)
        for group, partner, p, likely, e, lo, hi, basis in zip(*stored, strict=True)
    ]
    # What the database gives back, in any order: nothing to write.
    same = prediction.Stored.of_rows(list(reversed(rows)))
    changed, gone = stored.changes(same)
    assert changed.group.tolist() == [] and gone.tolist() == []
    # One row put out of line, one missing, one of an invoice paid since.
    rows[0] = (*rows[0][:4], rows[0][4] + 1, *rows[0][5:])
    before = prediction.Stored.of_rows(
        [rows[0], rows[2], (400, 8, 0.1, False, due, due, due, "model")]
    )
    changed, gone = stored.changes(before)
    assert changed.group.tolist() == [100, 200] and gone.tolist() == [400]
    changed, gone = stored.changes(prediction.Stored.of_rows([]))
    assert changed.group.tolist() == [100, 200, 300] and gone.tolist() == []


def test_the_fallback_spread_is_each_customer_quantiles():
    """Without a model, an invoice's date spread is the 10 % and 90 % quantiles of its
    customer's days late paid before today (none paid: its average), worked out for every
    customer at once."""
    ledger = generate(customers=60, seed=5, months=12)
    trained = prediction.Trained(15, "fallback", "history", {}, [], 0.3, 4.0)
    opened = [inv for inv in ledger.invoices if inv.date_paid is None]
    newcomer = Invoice(10**6, 10**6, TODAY - timedelta(days=3), TODAY + timedelta(days=27), 90.0)
    ledger = Ledger([*ledger.invoices, newcomer], ledger.promises, reminders=ledger.reminders)
    predictions = prediction.predict(trained, ledger, [*opened, newcomer], TODAY)
    for invoice, found in zip([*opened, newcomer], predictions, strict=True):
        paid = sorted(
            max(prediction.days_late(inv), 0)
            for inv in ledger.invoices
            if inv.partner_id == invoice.partner_id and inv.date_paid and inv.date_paid < TODAY
        )
        if not paid:
            assert invoice is newcomer
            assert found.delay == found.delay_low == found.delay_high == trained.median_delay
            continue
        low = paid[int(0.1 * (len(paid) - 1))]
        high = paid[math.ceil(0.9 * (len(paid) - 1))]
        assert found.delay_low == min(low, found.delay)
        assert found.delay_high == max(high, found.delay)


def test_too_little_history_falls_back_to_the_customers_average():
    """Fifteen customers over six months: too few invoices for a backtest; the fallback is
    the customer's share of late invoices smoothed towards the company's, and its average
    days late."""
    ledger = generate(customers=15, seed=3, months=6)
    trained = prediction.train(ledger, TODAY)
    assert trained.state == "fallback" and trained.reason == "history"
    assert trained.models is None
    opened = [inv for inv in ledger.invoices if inv.date_paid is None]
    predictions = prediction.predict(trained, ledger, opened, TODAY, explain=3)
    assert {p.basis for p in predictions} == {"fallback"}
    invoice, found = opened[0], predictions[0]
    paid = [
        inv for inv in ledger.invoices if inv.partner_id == invoice.partner_id and inv.date_paid
    ]
    late = sum(prediction.days_late(inv) > 15 for inv in paid)
    weight = prediction.PRIOR_WEIGHT
    expected = (late + weight * trained.prior) / (len(paid) + weight)
    assert found.probability == pytest.approx(expected)
    weighted = sum(inv.amount * max(prediction.days_late(inv), 0) for inv in paid)
    assert found.delay == pytest.approx(weighted / sum(inv.amount for inv in paid))
    assert {name: value for name, value, _change in found.factors} == {
        "late_share": pytest.approx(late / len(paid)),
        "avg_days_late": pytest.approx(found.delay),
    }


def test_no_better_than_the_fallback_uses_the_fallback():
    figures = {"auc": 0.80, "auc_fallback": 0.81, "brier": 0.10, "brier_fallback": 0.12}
    assert prediction.choose(figures) == "fallback"
    figures.update(auc=0.85, brier=0.125)
    assert prediction.choose(figures) == "fallback"
    figures.update(brier=0.11)
    assert prediction.choose(figures) == "model"


def test_features_never_read_the_future():
    """An invoice's features as of its date are the same whatever happens after it."""
    day = date(2026, 1, 10)
    past = [
        Invoice(1, 7, date(2025, 10, 1), date(2025, 10, 31), 1000.0, date(2025, 12, 5)),
        Invoice(2, 7, date(2025, 11, 1), date(2025, 12, 1), 3000.0, date(2025, 12, 1)),
    ]
    target = Invoice(3, 7, day, day + timedelta(days=30), 2000.0, None)
    later = Invoice(4, 7, date(2025, 12, 20), date(2026, 1, 5), 500.0, date(2026, 3, 1))
    future = [Invoice(5, 7, date(2026, 2, 1), date(2026, 3, 1), 9000.0, date(2026, 2, 2))]
    base = Ledger([*past, target, later], promises={7: [(date(2026, 2, 1), False)]})
    more = Ledger([*past, target, later, *future], promises={7: [(date(2026, 2, 1), False)]})
    first = prediction.matrix([target], prediction.histories(base, 15))[0]
    second = prediction.matrix([target], prediction.histories(more, 15))[0]
    assert list(first) == list(second)
    values = dict(zip(prediction.FEATURES, first, strict=True))
    assert values["history_count"] == 2
    assert values["avg_days_late"] == pytest.approx(35 * 1000 / 4000)  # weighted by amounts
    assert values["late_share"] == 0.5 and values["last_days_late"] == 35  # paid last
    assert values["overdue_count"] == 1  # invoice 4, due 5 January, unpaid on the 10th
    assert values["promises_broken"] == 0  # broken in February
    assert values["amount_ratio"] == pytest.approx(1.0)
    assert values["terms_days"] == 30 and values["month"] == 2


def test_labels_known_on_a_date():
    due = date(2026, 6, 1)
    paid_late = Invoice(1, 1, date(2026, 5, 1), due, 10.0, date(2026, 6, 20))
    paid_ok = Invoice(2, 1, date(2026, 5, 1), due, 10.0, date(2026, 6, 10))
    opened = Invoice(3, 1, date(2026, 5, 1), due, 10.0, None)
    assert prediction.label(paid_late, date(2026, 7, 1), 15) == (True, 19)
    assert prediction.label(paid_ok, date(2026, 7, 1), 15) == (False, 9)
    assert prediction.label(opened, date(2026, 6, 10), 15) is None  # may still be on time
    assert prediction.label(opened, date(2026, 6, 20), 15) == (True, None)
    # Paid late, but not yet on the cutoff: known only as late, not by how much.
    assert prediction.label(paid_late, date(2026, 6, 18), 15) == (True, None)


def test_metrics_agree_with_scikit_learn():
    rng = random.Random(5)
    labels = [rng.random() < 0.3 for _ in range(500)]
    scores = [round(rng.random() * 0.5 + 0.4 * label, 2) for label in labels]  # with ties
    assert prediction.auc(labels, scores) == pytest.approx(roc_auc_score(labels, scores))
    assert prediction.brier(labels, scores) == pytest.approx(brier_score_loss(labels, scores))


def test_signed_storage(world):
    _ledger, trained, _opened, _predictions = world
    blob = prediction.dumps(trained, b"secret of the database")
    again = prediction.loads(blob, b"secret of the database")
    assert again.figures == trained.figures and again.state == "model"
    with pytest.raises(ValueError):
        prediction.loads(blob, b"another database")
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(ValueError):
        prediction.loads(tampered, b"secret of the database")
    with pytest.raises(ValueError):
        prediction.loads(b"short", b"secret of the database")
