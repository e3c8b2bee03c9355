"""Every rubric tells graders the numbers a correct notebook shows: they are the numbers its master computes.

Each master runs once on a fresh kernel (solutions and all its tests), and the test reads back the values it
needs; every number the rubric states is then formatted as the rubric prints it and looked for as a phrase,
so that a change in the master fails here with a message naming the phrase. Counts and rates the master
does not store are computed here from its variables (with scikit-learn and statsmodels), never typed in.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder import course
from tests.repo import REPO

pytestmark = pytest.mark.e2e  # runs the masters in kernels


def master_values(a: course.Assignment, expressions: dict[str, str], directory: Path) -> dict:
    """Run the master (solutions and all its tests) on a fresh kernel, then read back each expression's value.

    The values cross as JSON: numpy and pandas values as lists and numbers, dictionary keys as strings.
    """
    from nbclient import NotebookClient

    nb = course.master_notebook(a)
    dump = ", ".join(f"{name!r}: {expression}" for name, expression in expressions.items())
    nb.cells.append(nbformat.v4.new_code_cell(
        "import json as _j\n\n"
        "def _plain(o):\n"
        "    if hasattr(o, 'tolist'):\n"
        "        return o.tolist()\n"
        "    raise TypeError(f'{type(o).__name__} does not cross as JSON: read a plainer value')\n\n"
        f"print(_j.dumps({{{dump}}}, default=_plain))"))
    for name in a.data:
        shutil.copy2(REPO / "datasets" / name, directory / name)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(directory)}}).execute()
    return json.loads("".join(o["text"] for o in nb.cells[-1].outputs if o.get("name") == "stdout"))


def rubric_text(a: course.Assignment) -> str:
    """The rubric with its line breaks and runs of spaces read as one space."""
    return " ".join((REPO / "instructors" / "rubrics" / f"{a.id}.md").read_text(encoding="utf-8").split())


def says_all(a: course.Assignment, phrases: list[str]) -> None:
    """Fail naming every phrase the rubric does not say."""
    text = rubric_text(a)
    absent = [phrase for phrase in phrases if phrase not in text]
    assert not absent, f"instructors/rubrics/{a.id}.md should say: " + " | ".join(absent)


def minus(text: str) -> str:
    """A number as the rubrics print it: with a true minus sign."""
    return text.replace("-", "\N{MINUS SIGN}")


def pct(fraction: float, decimals: int = 0) -> str:
    return f"{100 * fraction:.{decimals}f}%"


WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
TIMES = {2: "twice", 3: "three times", 4: "four times"}


# ---------------------------------------------------------------- Assignment 1

A01 = course.find_assignment("a01")


@pytest.fixture(scope="module")
def a01(tmp_path_factory):
    names = ["sens_05", "spec_05", "ppv_clinic", "missed_per_1000", "pt_cad", "auc_test"]
    return master_values(A01, {n: f"float({n})" for n in names}, tmp_path_factory.mktemp("a01"))


def test_the_a01_rubric_gives_the_numbers_the_master_computes(a01):
    """Check that every number the a01 rubric tells graders to expect is what the master's solution gives."""
    v = a01
    flagged_with_cad = round(100 * v["ppv_clinic"])
    misses_at_05 = round(100 * (1 - v["sens_05"]))  # per 1,000 at 10% prevalence: 1,000 x 0.1 x (1 - sensitivity)
    says_all(A01, [
        f"sensitivity {v['sens_05']:.2f} and specificity {v['spec_05']:.2f} at 0.5",
        f"PPV at 10% prevalence about {v['ppv_clinic']:.2f}",
        f"of 100 patients flagged about {flagged_with_cad} have CAD and {100 - flagged_with_cad} have a CT",
        f"about {round(v['missed_per_1000'])} of every 1,000 clinic patients have CAD and are missed "
        f"(Q6: {v['missed_per_1000']:.1f} exactly; {round(v['missed_per_1000'])} is accepted)",
        f"a miss judged as bad as {round((1 - v['pt_cad']) / v['pt_cad'])} unneeded CT angiograms gives a threshold "
        f"of {v['pt_cad']:.2f}",
        f"AUC about {v['auc_test']:.2f}",
        f"misses at 0.5: {misses_at_05} per 1,000 (100 × (1 − {v['sens_05']:.2f}))",
        # the criteria table
        f'"of 100 patients flagged, about {flagged_with_cad} have CAD"',
        f"(Q6, about {round(v['missed_per_1000'])} at 0.3, or about {misses_at_05} at 0.5)",
    ])


# ---------------------------------------------------------------- Assignment 2

A02 = course.find_assignment("a02")


@pytest.fixture(scope="module")
def a02(tmp_path_factory):
    names = ["oe", "calibration", "scaled_brier", "intercept_update", "oe_after_update", "recalibration",
             "auc_check", "slope_ci", "net_benefit_20", "avoided_per_1000", "PT"]
    return master_values(A02, {n: n for n in names} | {
        "resamples": "len(resamples)",
        "groups": "{k: {'cad': g['cad'].tolist(), 'risk': g['risk'].tolist()} for k, g in groups.items()}",
        "halves": "{'update': len(va_update), 'check': len(va_check)}",
        "check": "{'cad': va_check['cad'].tolist(), 'risk': va_check['risk'].tolist()}",
    }, tmp_path_factory.mktemp("a02"))


def test_the_a02_rubric_table_gives_each_hospitals_numbers(a02):
    """Check the a02 rubric's table: group sizes, prevalence, AUC (scikit-learn), O/E, calibration, scaled Brier."""
    from sklearn.metrics import roc_auc_score

    groups, sites = a02["groups"], list(a02["groups"])
    assert sites == ["Cleveland test", "Hungary", "VA Long Beach", "Switzerland"]
    auc = {s: roc_auc_score(g["cad"], g["risk"]) for s, g in groups.items()}

    def row(label, values):
        return f"| {label} | " + " | ".join(values) + " |"

    def two(label, values):  # the rows with a Cleveland and a VA value only
        return f"| {label} | {values['Cleveland test']:.2f} | | {values['VA Long Beach']:.2f} | |"

    says_all(A02, [
        "| | " + " | ".join(f"{s} ({len(groups[s]['cad'])})" for s in sites) + " |",
        row("prevalence of CAD", [f"{np.mean(groups[s]['cad']):.2f}" for s in sites]),
        row("AUC (the set-up cell prints it)", [f"{auc[s]:.2f}" for s in sites]),
        row("O/E (Q1)", [f"{a02['oe'][s]:.2f}" for s in sites]),
        two("calibration intercept (Q3)", {s: c["intercept"] for s, c in a02["calibration"].items()}),
        two("calibration slope (Q3)", {s: c["slope"] for s, c in a02["calibration"].items()}),
        two("scaled Brier (Q4)", a02["scaled_brier"]),
    ])


def test_the_a02_rubric_gives_the_masters_answers_to_questions_2_to_9(a02):
    """Check the a02 rubric's Q2 and Q5-Q9 lines, the Q9 counts from the check half's table at 0.2 (scikit-learn)."""
    from sklearn.metrics import confusion_matrix

    oe = a02["oe"]
    external = {s: v for s, v in oe.items() if s != "Cleveland test"}
    over, under = min(external, key=external.get), max(external, key=external.get)
    assert oe[over] < 1 < oe[under]
    pt, nb, low_high = a02["PT"], a02["net_benefit_20"], a02["slope_ci"]
    weight = pt / (1 - pt)
    avoided = minus(f"{a02['avoided_per_1000']:.0f}")
    y, risk = np.asarray(a02["check"]["cad"]), np.asarray(a02["check"]["risk"])
    tn, fp, fn, tp = confusion_matrix(y, risk >= pt, labels=[0, 1]).ravel()
    n = len(y)
    # against referring everyone (no TN, no FN): the model misses its FN and spares its TN
    per_100 = (-fn + tn * weight) * 100 / n  # net true positives per 100
    avoided_100 = (tn - fn / weight) * 100 / n  # net interventions avoided per 100
    assert per_100 / 100 == pytest.approx(nb["model"] - nb["treat all"])
    assert avoided_100 * 10 == pytest.approx(a02["avoided_per_1000"])
    assert low_high[1] < 0.9, "the rubric reads the slope interval as clearly excluding 1"
    assert nb["model"] < nb["treat all"], "the rubric says the model does worse than referring everyone"
    says_all(A02, [
        f"Q2: over-predicts at {over} (O/E < 1); under-predicts most in {under}.",
        f"(VA update half, {a02['halves']['update']} patients; check half, {a02['halves']['check']}): "
        f"intercept update {a02['intercept_update']:.2f}; O/E after it {a02['oe_after_update']['update']:.2f} in the "
        f"update half (by construction), {a02['oe_after_update']['check']:.2f} in the check half.",
        f"Q6: logistic recalibration intercept {a02['recalibration']['intercept']:.2f}, slope "
        f"{a02['recalibration']['slope']:.2f}; AUC in the check half {a02['auc_check']['before']:.2f} before and after.",
        f"about {low_high[0]:.2f} to {low_high[1]:.2f} (seed 42, {a02['resamples']:,} resamples;",
        f"Q8 (check half, threshold {pt:g}): net benefit of referring everyone {nb['treat all']:.3f}, of the model "
        f"{nb['model']:.3f}, of the recalibrated model {nb['recalibrated']:.3f}.",
        f"Q9: {avoided} net interventions avoided per 1,000. In whole patients: in the {n}-patient check half at "
        f"{pt:g} the original model has TP {tp}, FP {fp}, FN {fn}, TN {tn}, so against referring everyone it misses {fn} "
        f"{'patient' if fn == 1 else 'patients'} with CAD and spares {tn} CT angiograms: {minus(f'-{fn}')} + {tn} × {weight:g} = "
        f"{minus(f'{per_100:.1f}')} net true positives in 100 patients (the model's net benefit is {-per_100 / 100:.3f} below that "
        f"of referring everyone), or, counted in scans, {tn} − {fn} / {weight:g} = {minus(f'{avoided_100:.0f}')} net "
        f"interventions avoided in 100 patients, i.e. {avoided} per 1,000.",
    ])
    # "before and after": a positive slope keeps the patients in the same order, so the AUC is the same
    assert a02["recalibration"]["slope"] > 0 and a02["auc_check"]["before"] == pytest.approx(a02["auc_check"]["after"])


def test_the_a02_rubric_criteria_quote_the_same_numbers(a02):
    """Check the numbers the a02 criteria and red flags quote (VA against Cleveland, updating, net benefit)."""
    from sklearn.metrics import confusion_matrix, roc_auc_score

    groups, cal = a02["groups"], a02["calibration"]
    va, cle = groups["VA Long Beach"], groups["Cleveland test"]
    pt, nb = a02["PT"], a02["net_benefit_20"]
    y, risk = np.asarray(a02["check"]["cad"]), np.asarray(a02["check"]["risk"])
    tn, _, fn, _ = confusion_matrix(y, risk >= pt, labels=[0, 1]).ravel()
    says_all(A02, [
        f"contrasts the VA AUC ({roc_auc_score(va['cad'], va['risk']):.2f}, against "
        f"{roc_auc_score(cle['cad'], cle['risk']):.2f} in Cleveland) with calibration: O/E about "
        f"{a02['oe']['VA Long Beach']:.2f} (risks too low on average), slope about {cal['VA Long Beach']['slope']:.2f} "
        f"(risks too extreme), scaled Brier about {a02['scaled_brier']['VA Long Beach']:.2f}",
        f"the VA's high prevalence ({pct(np.mean(va['cad']))})",
        f"reports the check half (O/E {a02['oe_after_update']['check']:.2f}, AUC unchanged at "
        f"{a02['auc_check']['before']:.2f}:",
        f"(slope interval about {a02['slope_ci'][0]:.2f} to {a02['slope_ci'][1]:.2f} from {len(va['cad'])} patients;",
        f"at a {pct(pt)} threshold the model ({nb['model']:.3f}) does worse than referring everyone "
        f"({nb['treat all']:.3f}), and that the difference ({fn} missed CAD against {tn} scans spared in {len(y)} patients)",
        f"at a threshold of {pct(pt)} it does worse than referring everyone",
        f"{WORDS.get(fn, fn)} missed CAD against {WORDS.get(tn, tn)} scans spared in {len(y)} patients",
    ])
    assert a02["oe"]["VA Long Beach"] > 1 and cal["VA Long Beach"]["slope"] < 1  # "too low", "too extreme"
    assert nb["recalibrated"] == pytest.approx(nb["treat all"])  # "equal after recalibration"


# ---------------------------------------------------------------- Assignment 3

A03 = course.find_assignment("a03")

#: How the a03 rubric names each of Ms S.'s findings that pushes the forest's score up or down
HER_FINDINGS = {"st_depression": "ST depression", "no_chest_pain": "no chest pain", "age": "age",
                "male": "being a woman", "exercise_angina": "no angina on the treadmill",
                "max_heart_rate": "her high peak heart rate"}
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}


@pytest.fixture(scope="module")
def a03(tmp_path_factory):
    return master_values(A03, {
        "score": "float(forest.predict_proba(ms_s)[0, 1])", "base": "ms_s_base", "shap": "ms_s_shap.to_dict()",
        "ms_s": "ms_s.iloc[0].to_dict()", "oe_ratio": "oe_ratio", "cal_slope": "cal_slope",
        "p_test": "p_test", "y_test": "y_test", "by_fifth": "by_fifth.to_dict('list')", "hers": "hers",
    }, tmp_path_factory.mktemp("a03"))


def test_the_a03_rubric_gives_ms_s_score_and_its_reasons(a03):
    """Check the a03 rubric's Ms S.: her findings, the forest's score, the base value and her largest SHAP values."""
    her, shap_values = a03["ms_s"], a03["shap"]
    assert (her["male"], her["no_chest_pain"], her["exercise_angina"]) == (0, 1, 0)
    up = sorted((k for k in shap_values if shap_values[k] > 0), key=shap_values.get, reverse=True)[:3]
    down = sorted((k for k in shap_values if shap_values[k] < 0), key=shap_values.get)[:3]

    def push(k):
        return f"{HER_FINDINGS[k]} (about **{minus(f'{100 * shap_values[k]:+.0f}')}**"

    says_all(A03, [
        f"Ms S. ({her['age']:.0f}, breathless on exertion for two months without chest pain, assessed in a chest-pain "
        f"clinic; {her['st_depression']:.1f} mm ST depression on the treadmill, peak heart rate {her['max_heart_rate']:.0f}, "
        "no angina on the treadmill)",
        f"the forest's score for Ms S.: **{pct(a03['score'], 1)}**; base value",
        f"E[f(X)]): **{pct(a03['base'])}**;",
        f"her largest pushes up: {push(up[0])} points), {push(up[1])}) and {push(up[2])}); pulling down: "
        f"{push(down[0])}), {push(down[1])}) and {push(down[2])});",
        f'"of 100 people like you, about {100 * a03["score"]:.0f}…"',
    ])


def test_the_a03_rubric_gives_the_forests_calibration(a03):
    """Check the a03 rubric's calibration of the forest: O/E, the slope with its interval (statsmodels), by fifths."""
    import statsmodels.api as sm

    p, y = np.asarray(a03["p_test"]), np.asarray(a03["y_test"])
    glm = sm.GLM(y, sm.add_constant(np.log(p / (1 - p))), family=sm.families.Binomial()).fit()
    assert glm.params[1] == pytest.approx(a03["cal_slope"], abs=1e-3)  # statsmodels against the master's scikit-learn fit
    low, high = glm.conf_int()[1]
    fifths, hers, score = a03["by_fifth"], a03["hers"], a03["score"]
    in_hers, with_cad = fifths["patients"][hers - 1], fifths["had_cad"][hers - 1]
    assert score == pytest.approx(fifths["highest"][hers - 1]), "the rubric puts Ms S. at the top of her fifth"
    says_all(A03, [
        f"the forest's calibration on the {len(y)} test patients (Question 9): **O/E {a03['oe_ratio']:.2f}**, "
        f"**calibration slope {a03['cal_slope']:.2f}** (95% CI about {low:.2f} to {high:.2f}, from {len(y)} patients)",
        "by fifths of the score, mean scores " + "/".join(f"{100 * v:.0f}" for v in fifths["mean_score"]) + "% against "
        + "/".join(f"{100 * v:.0f}" for v in fifths["observed"]) + "% observed",
        f"Ms S. (score {pct(score, 1)}) is at the top of the {ORDINALS[hers]} fifth, where **{with_cad} of {in_hers}** "
        "test patients had CAD",
        f"the calibration check is uncertain on about {round(len(y), -2)} patients",
        f'"of {in_hers} patients in the check whose scores were like yours, {with_cad} had narrowed arteries"',
    ])


# ---------------------------------------------------------------- Assignment 4

A04 = course.find_assignment("a04")


@pytest.fixture(scope="module")
def a04(tmp_path_factory):
    names = ["fnr_women", "fnr_men", "calib_women", "calib_men", "fnr_women_after", "fnr_men_after",
             "accuracy_before", "accuracy_after", "fnr_women_eg", "fnr_men_eg"]
    return master_values(A04, {n: n for n in names} | {
        "test": "{'y': y_test.tolist(), 'risk': risk.tolist(), 'referred': referred.tolist(), 'sex': sex_test.tolist(), "
                "'risk_no_sex': risk_no_sex.tolist()}",
        "evaluation": "{'y': y_eval.tolist(), 'referred': referred_eval.tolist(), 'women': women_eval.tolist()}",
        "tune_women_with_cad": "int(y_tune[(X_tune['sex'] == 'Female').to_numpy()].sum())",
    }, tmp_path_factory.mktemp("a04"))


def _fnr_fpr(y, called) -> tuple[float, float, int, int]:
    """False-negative and false-positive rates (scikit-learn's confusion matrix), with FN and the number with disease."""
    from sklearn.metrics import confusion_matrix

    tn, fp, fn, tp = confusion_matrix(y, called, labels=[0, 1]).ravel()
    return fn / (fn + tp), fp / (fp + tn), int(fn), int(fn + tp)


def test_the_a04_rubric_gives_the_masters_numbers(a04):
    """Check the a04 rubric's numbers: FNR by sex, calibration and its curve, the model without sex, Q8 and Q9."""
    import statsmodels.api as sm
    from sklearn.calibration import calibration_curve

    t = a04["test"]
    y, risk, risk_no_sex = np.asarray(t["y"]), np.asarray(t["risk"]), np.asarray(t["risk_no_sex"])
    women = np.asarray(t["sex"]) == "Female"
    by_sex = {"women": women, "men": ~women}
    with_sex = {k: _fnr_fpr(y[m], np.asarray(t["referred"])[m]) for k, m in by_sex.items()}
    no_sex = {k: _fnr_fpr(y[m], risk_no_sex[m] >= 0.5) for k, m in by_sex.items()}
    assert with_sex["women"][0] == pytest.approx(a04["fnr_women"]) and with_sex["men"][0] == pytest.approx(a04["fnr_men"])
    fnr_w, _, missed_w, cad_w = with_sex["women"]
    observed, predicted = calibration_curve(y[women], risk[women], n_bins=4, strategy="quantile")
    (int_w, slope_w), (int_m, slope_m) = a04["calib_women"], a04["calib_men"]
    e = a04["evaluation"]
    y_eval, called_eval, women_eval = np.asarray(e["y"]), np.asarray(e["referred"]), np.asarray(e["women"])
    before = {k: _fnr_fpr(y_eval[m], called_eval[m])[0] for k, m in {"women": women_eval, "men": ~women_eval}.items()}
    eval_women_with_cad = int(y_eval[women_eval].sum())
    ci = {}  # the calibration slope's 95% interval in each sex (statsmodels' logistic fit on the log-odds)
    for k, m in by_sex.items():
        fit = sm.GLM(y[m], sm.add_constant(np.log(risk[m] / (1 - risk[m]))), family=sm.families.Binomial()).fit()
        assert fit.params[1] == pytest.approx(a04["calib_" + k][1], abs=1e-6)
        ci[k] = fit.conf_int(0.05)[1]
    assert ci["women"][0] < 1 < ci["women"][1], "the rubric says the women's slope interval includes 1"
    says_all(A04, [
        f"Q2 (test set, {women.sum()} women, {cad_w} with CAD; {(~women).sum()} men): FNR women {fnr_w:.2f} "
        f"({missed_w} of {cad_w}), men {a04['fnr_men']:.2f}.",
        f"Q3: calibration intercept and slope, women {int_w:+.2f} and {slope_w:.2f}, men {int_m:+.2f} and {slope_m:.2f}.",
        f"Mean predicted against observed: women {pct(risk[women].mean())} vs {pct(y[women].mean())}, "
        f"men {pct(risk[~women].mean())} vs {pct(y[~women].mean())}.",
        "Curve (four bins), women predicted " + ", ".join(f"{100 * v:.0f}" for v in predicted) + "% against observed "
        + ", ".join(f"{100 * v:.0f}" for v in observed) + "%.",
        f"Slope with its 95% interval (statsmodels, not asked in the notebook): women {slope_w:.2f} "
        f"({ci['women'][0]:.2f} to {ci['women'][1]:.2f}), men {slope_m:.2f} ({ci['men'][0]:.2f} to {ci['men'][1]:.2f}).",
        f"With {women.sum()} women it is uncertain: the interval includes 1,",
        f"refitted without sex: FNR women {fnr_w:.2f} → {no_sex['women'][0]:.2f}, men {a04['fnr_men']:.2f} → "
        f"{no_sex['men'][0]:.2f}; women's FPR {with_sex['women'][1]:.2f} → {no_sex['women'][1]:.2f}; women's mean "
        f"predicted {risk_no_sex[women].mean():.2f} against {y[women].mean():.2f} observed (men "
        f"{risk_no_sex[~women].mean():.2f} against {y[~women].mean():.2f}).",
        f"Q8 (`ThresholdOptimizer` fitted on the tuning half, {a04['tune_women_with_cad']} women with CAD; judged on the "
        f"evaluation half, {eval_women_with_cad} women with CAD): before, FNR women {before['women']:.2f}, men "
        f"{before['men']:.2f}, accuracy {a04['accuracy_before']:.2f}; after, women {a04['fnr_women_after']:.2f}, men "
        f"{a04['fnr_men_after']:.2f}, accuracy {a04['accuracy_after']:.2f}.",
        f"Q9 (`ExponentiatedGradient`, evaluation half): FNR women {a04['fnr_women_eg']:.2f}, men {a04['fnr_men_eg']:.2f}.",
        # the criteria and the full-mark answer
        f'"of 100 women with CAD the model misses about {100 * fnr_w:.0f}, of 100 men about {100 * a04["fnr_men"]:.0f}"',
        f"({fnr_w:.2f}/{a04['fnr_men']:.2f} → {no_sex['women'][0]:.2f}/{no_sex['men'][0]:.2f})",
        f"(predicted {pct(risk_no_sex[women].mean())} against {pct(y[women].mean())} observed)",
        f"(FPR {with_sex['women'][1]:.2f} → {no_sex['women'][1]:.2f})",
        f"where {eval_women_with_cad} women with CAD stand behind each rate",
        f"rest on about {cad_w} (test) or {eval_women_with_cad} (evaluation half) women with CAD",
        f"misses about {TIMES[round(fnr_w / a04['fnr_men'])]} as many women with CAD as men at 50%",
    ])
    assert slope_w > 1, "the rubric reads the women's slope as above 1 (probabilities too timid)"
    assert a04["fnr_women_after"] == pytest.approx(before["women"]) == pytest.approx(a04["fnr_women_eg"]), (
        "the rubric says neither fix changed the women's FNR on the evaluation half"
    )


# ---------------------------------------------------------------- Assignment 5

A05 = course.find_assignment("a05")


@pytest.fixture(scope="module")
def a05(tmp_path_factory):
    names = ["esm_sensitivity", "esm_ppv", "esm_alerts_per_case", "esm_alerts_per_100", "DAYS", "alerts_per_day",
             "alerts_per_true_positive", "chosen_threshold", "observed_expected", "oe_by_gender", "flagged_calibration",
             "errors_by_type", "overall_error_rate", "overall_ci", "fraction_fabricated", "n_inaccurate",
             "diff_women_men", "discordant_pairs", "race_based_share", "rows"]
    return master_values(A05, {n: n for n in names} | {
        "wong": "{'hospitalisations': HOSPITALISATIONS, 'sepsis': SEPSIS, 'alerted': ALERTED, 'missed': MISSED}",
        "silent": "{c: silent[c].tolist() for c in ['positive', 'risk', 'gender', 'demo_group', 'pan_day']}",
        "burden": "{f'{t:.2f}': row.to_dict() for t, row in burden.iterrows()}",
        "n_summaries": "len(summaries)", "n_references": "len(references)",
        "chest": "{'men': chest['man'].tolist(), 'women': chest['woman'].tolist()}",
        "kidney": "kidney['race_based'].tolist()",
        "n_train": "len(train)",
        "evaluation": "{site: {'y': part['cad'].tolist(), 'sex': part['sex'].tolist(), "
                      "'p': heart_model.predict_proba(part[h_numeric + h_categorical])[:, 1].tolist()} "
                      "for site, part in evaluation.items()}",
    }, tmp_path_factory.mktemp("a05"))


def test_the_a05_rubric_gives_the_sepsis_numbers_the_counts_give(a05):
    """Check Part A of the a05 rubric: Wong et al.'s counts as the master holds them, its 2x2 table and rates."""
    w = a05["wong"]
    tp = w["sepsis"] - w["missed"]
    fp = w["alerted"] - tp
    tn = w["hospitalisations"] - w["sepsis"] - fp
    sens, ppv = a05["esm_sensitivity"], a05["esm_ppv"]
    assert (sens, ppv) == pytest.approx((tp / w["sepsis"], tp / w["alerted"]))
    per_case, per_100 = a05["esm_alerts_per_case"], a05["esm_alerts_per_100"]
    says_all(A05, [
        f"{w['hospitalisations']:,} hospitalisations, {w['sepsis']:,} with sepsis, {w['alerted']:,} alerted, "
        f"{w['missed']:,} with sepsis not identified",
        f"| TP / FP / FN / TN | {tp:,} / {fp:,} / {w['missed']:,} / {tn:,} |",
        f"| sensitivity (Q1) | {sens:.3f} | of 100 patients with sepsis, about {100 * sens:.0f} alerted before onset, "
        f"{100 - round(100 * sens)} not identified |",
        f"| PPV (Q1) | {ppv:.3f} | of 100 alerts, about {100 * ppv:.0f} were sepsis |",
        f"| specificity | {tn / (tn + fp):.3f} |",
        f"| alerted hospitalisations per sepsis case flagged in time (Q2) | {per_case:.1f} | number needed to alert "
        f"(1/PPV); about {per_case - 1:.0f} of them without sepsis",
        f"| alerts per 100 hospitalisations (Q2) | {per_100:.1f} |",
        # the criteria of Question 11
        f"of 100 alerted hospitalisations about {100 * ppv:.0f} are sepsis flagged in time; of 100 patients with sepsis "
        f"about {100 - round(100 * sens)} are not identified (no alert before onset); about {per_case:.0f} "
        f"hospitalisations alerted per case flagged in time, about {per_case - 1:.0f} of them without sepsis or alerted "
        f"only after onset; {per_100:.0f} "
        "alerted per 100 admissions",
    ])


def test_the_a05_rubric_gives_the_silent_periods_numbers(a05):
    """Check Part B of the a05 rubric: the silent period, the alert burden, calibration (statsmodels for the
    ratio's interval and for the Wilson interval where flags are raised)."""
    from statsmodels.stats.proportion import proportion_confint
    from statsmodels.stats.rates import confint_poisson_2indep

    s = {k: np.asarray(v) for k, v in a05["silent"].items()}
    positive = s["positive"].astype(bool)
    groups = {g: int((s["demo_group"] == g).sum()) for g in ["patient", "misc adult", "client", "other adult"]}
    burden = a05["burden"]
    assert list(burden) == ["0.05", "0.07", "0.09", "0.11", "0.13"]
    at_09 = burden["0.09"]["alerts_per_day"]
    assert a05["alerts_per_day"] == pytest.approx(at_09)
    female, male = s["gender"] == "female", s["gender"] == "male"
    oe = a05["oe_by_gender"]
    low, high = confint_poisson_2indep(positive[female].sum(), s["risk"][female].sum(), positive[male].sum(),
                                       s["risk"][male].sum(), method="score", compare="ratio")
    assert low < 1 < high, "the rubric reads the ratio's interval as including 1 (no clear difference)"
    flags = a05["flagged_calibration"]
    chosen = a05["chosen_threshold"]
    flagged = s["risk"] >= chosen
    assert flags["observed"] == pytest.approx(positive[flagged].mean())
    assert flags["predicted"] == pytest.approx(s["risk"][flagged].mean())
    f_low, f_high = proportion_confint(positive[flagged].sum(), flagged.sum(), method="wilson")
    assert f_low < flags["predicted"] < f_high, "the rubric reads the prediction as inside the observed share's interval"
    says_all(A05, [
        f"silent period (days {s['pan_day'].min()}–{s['pan_day'].max()}, {len(positive):,} tests of the children's hospital's "
        "testing service, "
        f"{positive.sum()} positive, {a05['DAYS']} days; {groups['patient']:,} tests of patients, "
        f"{groups['misc adult']:,} \"misc adult\", {groups['client']:,} \"client\", {groups['other adult']:,} \"other adult\"):",
        "flags per day " + " / ".join(f"{b['alerts_per_day']:.1f}" for b in burden.values()) + " at thresholds "
        + " / ".join(f"{100 * float(t):.0f}" for t in burden) + "%; sensitivity "
        + " / ".join(pct(b["sensitivity"]) for b in burden.values()) + "; PPV "
        + " / ".join(pct(b["ppv"]) for b in burden.values()) + ".",
        f"At 9%: {a05['alerts_per_true_positive']:.1f} flags per positive test flagged (Q3).",
        f"Chosen threshold at a capacity of 60 flagged tests a day: {chosen:.2f} (Q5).",
        f"O/E {a05['observed_expected']:.2f} overall, {oe['female']:.2f} female, {oe['male']:.2f} male (ratio "
        f"{oe['female'] / oe['male']:.2f}, 95% CI {low:.2f} to {high:.2f}: no clear difference); among the "
        f"{flagged.sum():,} tests flagged at the chosen {100 * chosen:.0f}%, {pct(flags['observed'], 1)} positive (95% "
        f"Wilson CI {pct(f_low, 1)} to {pct(f_high, 1)}) where the model predicted {pct(flags['predicted'], 1)} on "
        "average: the prediction lies inside the interval",
    ])
    # the chosen threshold is the lowest whose flags a day stay within the capacity the rubric states
    assert chosen == min(float(t) for t, b in burden.items() if b["alerts_per_day"] <= 60)


def test_the_a05_rubric_gives_the_corpus_numbers(a05):
    """Check Part C of the a05 rubric: errors by type with the Wilson interval, references, the paired audit."""
    errors, n = a05["errors_by_type"], a05["n_summaries"]
    with_error = round(a05["overall_error_rate"] * n)
    low, high = a05["overall_ci"]
    fabricated = round(a05["fraction_fabricated"] * a05["n_references"])
    men, women = np.asarray(a05["chest"]["men"]), np.asarray(a05["chest"]["women"])
    assert women.mean() - men.mean() == pytest.approx(a05["diff_women_men"])
    assert (men != women).sum() == a05["discordant_pairs"]
    kidney = np.asarray(a05["kidney"])
    difference = minus(f"{a05['diff_women_men']:.3f}")
    assert kidney.mean() == pytest.approx(a05["race_based_share"])
    says_all(A05, [
        f"errors by type {errors['omitted_allergy']} omitted allergies, {errors['wrong_dose_unit']} wrong dose units, "
        f"{errors['laterality_swap']} laterality swaps, {errors['invented_follow_up']} invented follow-ups; "
        f"{with_error} of {n} summaries ({pct(with_error / n, 1)}, Wilson 95% CI {pct(low)} to {pct(high)}) (Q8)",
        f"{fabricated} of {a05['n_references']} references fabricated ({a05['fraction_fabricated']:.3f}), "
        f"{a05['n_inaccurate']} inaccurate (Q9)",
        f"Chest pain ({len(men)} pairs): escalated {pct(men.mean(), 1)} of men, {pct(women.mean(), 1)} of women, difference "
        f"{difference}, {a05['discordant_pairs']} discordant pairs; kidney: {kidney.sum()} of "
        f"{len(kidney)} answers for the Black patient race-based ({a05['race_based_share']:.3f}) (Q10)",
    ])


def test_the_a05_rubric_gives_the_heart_models_measurements(a05):
    """Check the a05 rubric's Question 12 numbers: AUC (scikit-learn) with the master's bootstrap interval, O/E,
    sensitivity and specificity at 0.5, by site and sex, and calibration among the flagged."""
    import re

    from sklearn.metrics import roc_auc_score

    def measures(y, p):
        flagged = p >= 0.5
        return {"n": len(y), "cad": pct(y.mean()), "oe": f"{y.sum() / p.sum():.2f}",
                "sens": pct((p[y == 1] >= 0.5).mean()) if (y == 1).any() else None,
                "spec": pct((p[y == 0] < 0.5).mean()) if (y == 0).any() else None, "no_cad": int((y == 0).sum()),
                "flagged": f"{pct(y[flagged].mean())} / {pct(p[flagged].mean())}"}

    table, sites = {}, list(a05["evaluation"])
    for site, part in a05["evaluation"].items():
        y, p, sex = np.asarray(part["y"]), np.asarray(part["p"]), np.asarray(part["sex"])
        table[site, "all"] = measures(y, p) | {"auc": roc_auc_score(y, p)}
        for group in ["Female", "Male"]:
            table[site, group] = measures(y[sex == group], p[sex == group])
    printed = {r["site"]: r["AUC (95% CI)"] for r in a05["rows"] if r["sex"] == "all"}
    ci = {}
    for site in sites:
        auc, low, high = re.fullmatch(r"(\S+) \((\S+)-(\S+)\)", printed[site]).groups()
        assert auc == f"{table[site, 'all']['auc']:.2f}", f"the notebook prints the AUC of {site} as {auc}"
        ci[site] = f"{low}–{high}"
    cle, hun, va, swi = sites

    def row(site):
        m = table[site, "all"]
        spec = m["spec"] + (f" (of {m['no_cad']} patients without CAD)" if site == "Switzerland" else "")
        return f"| {site} | {m['n']} | {m['cad']} | {m['auc']:.2f} ({ci[site]}) | {m['oe']} | {m['sens']} / {spec} |"

    says_all(A05, [
        f"fitted on {a05['n_train']} Cleveland patients, seed 0",
        *(row(site) for site in sites),
        f"({table[va, 'Female']['n']} at VA, {table[swi, 'Female']['n']} in Switzerland)",
        f"in Hungary the model's sensitivity at 0.5 is {table[hun, 'Female']['sens']} for women against "
        f"{table[hun, 'Male']['sens']} for men; in Switzerland O/E is {table[swi, 'Male']['oe']} for men and "
        f"{table[swi, 'Female']['oe']} for women",
        f"Cleveland {table[cle, 'all']['flagged']}, Hungary {table[hun, 'all']['flagged']} (women "
        f"{table[hun, 'Female']['flagged']}), VA Long Beach {table[va, 'all']['flagged']}, Switzerland "
        f"{table[swi, 'all']['flagged']}.",
        # the criteria of Question 12
        f"learned from about {round(a05['n_train'], -1)} Cleveland Clinic patients",
        f"(about {table[cle, 'all']['auc']:.2f} at Cleveland and Hungary, about {table[va, 'all']['auc']:.2f} at VA and "
        "Switzerland, the Swiss interval very wide)",
        f"where prevalence is {table[swi, 'all']['cad']}",
        "(e.g. Hungarian women flagged at 0.5: {} with CAD where the model predicts {}; Switzerland {} against {})".format(
            *table[hun, "Female"]["flagged"].split(" / "), *table[swi, "all"]["flagged"].split(" / ")),
    ])
    assert abs(table[hun, "all"]["auc"] - table[cle, "all"]["auc"]) < 0.015
    assert abs(table[swi, "all"]["auc"] - table[va, "all"]["auc"]) < 0.015


# ---------------------------------------------------------------- every rubric: the points of its written answers

@pytest.mark.parametrize("a", course.all_assignments(), ids=lambda a: a.id)
def test_the_rubric_gives_the_points_of_each_written_answer(a):
    """Check that the points a rubric grades each written answer out of are the master's nbgrader points."""
    import re

    points = {cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"]["points"]
              for cell in course.master_notebook(a).cells
              if cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("grade")}
    assert points, f"{a.id} has no written answer"
    text = rubric_text(a)
    stated = {grade_id: float(n) for grade_id, n in re.findall(r"\(`(q\d+_written)`, (\d+(?:\.\d+)?) points\)", text)}
    assert stated == {k: float(v) for k, v in points.items()}, (
        f"instructors/rubrics/{a.id}.md grades {stated}; the master gives {points}")
    if len(points) > 1:
        assert f"({sum(points.values()):g} points)" in text, f"{a.id}: the rubric should give the total of its written answers"
