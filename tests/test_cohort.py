"""Property tests of the synthetic cohort (datasets/clinical_data/cohort.py).

Each bias knob must do what its data card says, in the cited direction and at
roughly the cited size, and do nothing when it is off. Sizes are large enough
that sampling noise is well inside the tolerance bands (checked over seeds).
"""

from __future__ import annotations

import hashlib
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from clinical_data import make_cohort

from tests.repo import REPO

N = 100_000


def _features(seen: pd.DataFrame) -> np.ndarray:
    """The sepsis model's inputs, as a student would build them."""
    X = seen[["age", "heart_rate", "resp_rate", "temp_c", "sbp", "spo2", "wbc", "creatinine"]]
    X = X.astype(float).assign(
        male=(seen["sex"] == "M").astype(float),
        lactate=seen["lactate"].fillna(seen["lactate"].median()),
        lactate_missing=seen["lactate"].isna().astype(float),
    )
    return X.to_numpy()


def _fit_sepsis_model(seen: pd.DataFrame, rows: pd.Series):
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    return model.fit(_features(seen[rows]), seen.loc[rows, "sepsis_recorded"])


def _group_rates(seen, truth, risk, threshold=0.15):
    """TPR, FPR and calibration-in-the-large (mean risk - observed) per group, on test rows."""
    out = {}
    for group in ("G0", "G1"):
        rows = ((seen["split"] == "test") & (seen["group"] == group)).to_numpy()
        y = truth["sepsis"].to_numpy()[rows] == 1
        flagged = risk[rows] >= threshold
        out[group] = (flagged[y].mean(), flagged[~y].mean(), risk[rows].mean() - y.mean())
    return out


def _occult_hypoxaemia(seen, truth):
    """Sjoding 2020's measure: SaO2 < 88% among blood gases with SpO2 92-96%, per group."""
    paired = seen["sao2_abg"].notna() & seen["spo2"].between(92, 96)
    occult = paired & (truth["sao2"] < 88)
    return (occult.groupby(seen["group"]).sum() / paired.groupby(seen["group"]).sum()).to_dict()


def _top_share_g1(score, group, share=0.03):
    """Share of G1 among the top `share` by score (the programme's auto-enrolment)."""
    k = int(len(score) * share)
    top = np.argsort(-np.asarray(score, dtype=float), kind="stable")[:k]
    return float(np.mean(np.asarray(group)[top] == "G1"))


@pytest.fixture(scope="module")
def baseline():
    return make_cohort(N, seed=11)


def test_same_seed_gives_same_bytes():
    a = make_cohort(5_000, seed=3, spo2_bias=True, shift=True)
    b = make_cohort(5_000, seed=3, spo2_bias=True, shift=True)
    c = make_cohort(5_000, seed=4, spo2_bias=True, shift=True)
    for x, y in zip(a, b):
        assert x.to_csv(index=False).encode() == y.to_csv(index=False).encode()
    assert a[0].to_csv(index=False) != c[0].to_csv(index=False), "a different seed must give other patients"


def test_knob_changes_only_what_it_touches():
    """Draws do not depend on the knobs, so cohorts can be compared row by row."""
    off, off_truth = make_cohort(5_000, seed=5)
    on, on_truth = make_cohort(5_000, seed=5, spo2_bias=True)
    changed = [c for c in off.columns if not off[c].equals(on[c])]
    assert changed == ["spo2"]
    pd.testing.assert_frame_equal(off_truth, on_truth)


def test_all_knobs_off_groups_get_equal_tpr_fpr_and_calibration(baseline):
    seen, truth = baseline
    model = _fit_sepsis_model(seen, seen["split"] == "train")
    risk = model.predict_proba(_features(seen))[:, 1]
    rates = _group_rates(seen, truth, risk)
    (tpr0, fpr0, cal0), (tpr1, fpr1, cal1) = rates["G0"], rates["G1"]
    assert abs(tpr0 - tpr1) < 0.03, rates
    assert abs(fpr0 - fpr1) < 0.02, rates
    assert abs(cal0) < 0.01 and abs(cal1) < 0.01, rates
    occult = _occult_hypoxaemia(seen, truth)
    assert abs(occult["G0"] - occult["G1"]) < 0.01, occult
    assert abs(seen["lactate"].isna().groupby(seen["group"]).mean().diff().iloc[-1]) < 0.02


def test_spo2_bias_reproduces_sjoding_2020():
    """Occult hypoxaemia 11.7% (Black) vs 3.6% (White): about 3x (Sjoding 2020)."""
    seen, truth = make_cohort(200_000, seed=12, spo2_bias=True)
    occult = _occult_hypoxaemia(seen, truth)
    assert 0.025 <= occult["G0"] <= 0.05, occult
    assert 0.08 <= occult["G1"] <= 0.15, occult
    assert 2.5 <= occult["G1"] / occult["G0"] <= 4.0, occult


def test_label_proxy_cost_reproduces_obermeyer_2019():
    """Obermeyer 2019: G1 share of auto-enrolment 17.7% with a cost label, 46.5% by health."""
    seen, truth = make_cohort(200_000, seed=13, label_proxy="cost")
    # Selecting on the label itself (a perfect model of it) against selecting on health.
    by_cost = _top_share_g1(seen["care_label"], seen["group"])
    by_health = _top_share_g1(truth["conditions_next"] + 1e-6 * truth["need"], seen["group"])
    assert 0.13 <= by_cost <= 0.23, by_cost
    assert 0.40 <= by_health <= 0.53, by_health
    # At the same selection, the G1 patients enrolled are sicker: the bias Obermeyer found.
    top = np.argsort(-seen["care_label"].to_numpy(), kind="stable")[: int(0.03 * len(seen))]
    need = truth["need"].to_numpy()[top]
    g1 = seen["group"].to_numpy()[top] == "G1"
    assert need[g1].mean() > 1.3 * need[~g1].mean()


def test_fixing_the_label_removes_the_selection_gap():
    """With the health label (the default), enrolment by label matches enrolment by need."""
    rows = {}
    for proxy in ("cost", "need"):
        seen, truth = make_cohort(200_000, seed=14, label_proxy=proxy)
        by_label = _top_share_g1(seen["care_label"] + 1e-6 * truth["need"], seen["group"])
        by_need = _top_share_g1(truth["need"], seen["group"])
        # A group-blind model trained on the label from last year's records.
        X = np.column_stack([seen["age"], seen["sex"] == "F", seen["cost_prior"], seen["conditions_prior"]])
        train = (seen["split"] == "train").to_numpy()
        pred = LinearRegression().fit(X[train], seen["care_label"][train]).predict(X[~train])
        by_model = _top_share_g1(pred, seen["group"][~train])
        by_need_test = _top_share_g1(truth["need"][~train], seen["group"][~train])
        rows[proxy] = (by_label, by_need, by_model, by_need_test)
    label_need, need_need, model_need, test_need = rows["need"]
    assert abs(label_need - need_need) < 0.04, rows
    # The model still sees last year's (access-biased) cost, so the gap shrinks but
    # does not vanish: Obermeyer's health-label model removed 84% of the bias.
    gap_cost = rows["cost"][3] - rows["cost"][2]
    gap_need = test_need - model_need
    assert gap_cost > 0.2, rows
    assert gap_need < 0.4 * gap_cost, rows


def test_under_representation_knob_sets_training_share():
    seen, _ = make_cohort(N, seed=15, g1_train_share=0.05)
    share = seen.groupby("split")["group"].apply(lambda g: (g == "G1").mean())
    assert abs(share["train"] - 0.05) < 0.005, share
    assert share["test"] > 0.45, share  # deployment sees far more G1 than training
    base, _ = make_cohort(N, seed=15)
    base_share = base.groupby("split")["group"].apply(lambda g: (g == "G1").mean())
    assert abs(base_share["train"] - base_share["test"]) < 0.01, base_share


def test_missing_by_group_hides_lactate_and_costs_g1_sensitivity():
    seen, truth = make_cohort(N, seed=16, missing_by_group=True)
    missing = seen["lactate"].isna().groupby(seen["group"]).mean()
    assert missing["G1"] - missing["G0"] > 0.15, missing
    # Sicker patients are tested more in both groups (missing not at random).
    sick = truth["sepsis"] == 1
    assert seen["lactate"][sick].isna().mean() < seen["lactate"][~sick].isna().mean()
    model = _fit_sepsis_model(seen, seen["split"] == "train")
    rates = _group_rates(seen, truth, model.predict_proba(_features(seen))[:, 1])
    assert rates["G1"][0] < rates["G0"][0] - 0.015, rates  # G1 septic patients missed more


def test_shift_at_site_b_hurts_a_model_trained_at_site_a():
    seen, truth = make_cohort(N, seed=17, shift=True)
    a, b = (seen["site"] == "A"), (seen["site"] == "B")
    assert 8 <= seen["age"][b].mean() - seen["age"][a].mean() <= 12  # covariate
    assert truth["sepsis"][b].mean() > 1.5 * truth["sepsis"][a].mean()  # prevalence
    offset = (seen["lactate"] - truth["lactate_true"]).groupby(seen["site"]).mean()
    assert abs(offset["A"]) < 0.01 and 0.45 <= offset["B"] <= 0.55, offset  # device
    recorded = seen["sepsis_recorded"][b & (truth["sepsis"] == 1)].mean()
    assert 0.5 <= recorded <= 0.8, recorded  # label definition: mild cases unrecorded at B
    assert (seen["sepsis_recorded"][a] == truth["sepsis"][a]).all()
    model = _fit_sepsis_model(seen, a & (seen["split"] == "train"))
    risk = model.predict_proba(_features(seen))[:, 1]
    test = seen["split"] == "test"
    miscal_b = risk[test & b].mean() - seen["sepsis_recorded"][test & b].mean()
    miscal_a = risk[test & a].mean() - seen["sepsis_recorded"][test & a].mean()
    assert abs(miscal_a) < 0.01 and miscal_b > 0.05, (miscal_a, miscal_b)
    auc_a = roc_auc_score(seen["sepsis_recorded"][test & a], risk[test & a])
    auc_b = roc_auc_score(seen["sepsis_recorded"][test & b], risk[test & b])
    assert auc_b < auc_a - 0.01, (auc_a, auc_b)


def test_no_shift_means_sites_alike(baseline):
    seen, truth = baseline
    by_site = truth["sepsis"].groupby(seen["site"]).mean()
    assert abs(by_site["A"] - by_site["B"]) < 0.015
    assert abs(seen["age"].groupby(seen["site"]).mean().diff().iloc[-1]) < 0.5


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n": 0}, "n must be"),
        ({"label_proxy": "income"}, "label_proxy"),
        ({"g1_train_share": 0.9}, "g1_train_share"),
        ({"shift": ["weather"]}, "unknown shift part weather"),
    ],
)
def test_bad_knob_is_one_clear_error(kwargs, message):
    with pytest.raises(ValueError, match=message) as err:
        make_cohort(**{"n": 10, **kwargs})
    assert "\n" not in str(err.value)


def test_snapshots_equal_a_fresh_generation():
    sys.path.insert(0, str(REPO / "datasets" / "extract"))
    try:
        import build_cohorts
    finally:
        sys.path.pop(0)
    for name in build_cohorts.SNAPSHOTS:
        for file_name, text in build_cohorts.snapshot_csvs(name).items():
            committed = (REPO / "datasets" / file_name).read_bytes()
            assert hashlib.sha256(committed).hexdigest() == hashlib.sha256(text.encode()).hexdigest(), (
                f"{file_name} differs from make_cohort's output; run bash datasets/rebuild.sh"
            )
