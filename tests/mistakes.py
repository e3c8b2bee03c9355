"""Plausible clinicians' mistakes, one answer cell each, for every assignment: the corpus that measures how
often the visible checks tell a student that an answer is wrong before it is graded
(``benchmarks/visible_checks.py``, ``tests/test_visible_checks.py``).

Each entry is (answer cell, what the student wrote instead of the solution, the mistake in words). The code
replaces the cell's solution region, as in ``tests/submissions.py``; at least three per autograded question.
"""

from __future__ import annotations

A01 = [
    # Q1: the 2x2 table
    ("q1_answer", 'truth, call = np.asarray(y_true), np.asarray(y_pred)\n'
     'return {"TP": int(np.sum((truth == 1) & (call == 1))), "FP": int(np.sum((truth == 1) & (call == 0))),\n'
     '        "FN": int(np.sum((truth == 0) & (call == 1))), "TN": int(np.sum((truth == 0) & (call == 0)))}',
     "FP and FN swapped"),
    ("q1_answer", 'truth, call = np.asarray(y_true), np.asarray(y_pred)\n'
     'return {"TP": int(np.sum((truth == 1) & (call == 1))), "FP": int(np.sum((truth == 0) & (call == 1))),\n'
     '        "FN": int(np.sum((truth == 1) & (call == 0))), "TN": int(np.sum(truth == 0))}',
     "TN counts everyone without disease"),
    ("q1_answer", 'truth, call = np.asarray(y_true), np.asarray(y_pred)\n'
     'return {"TP": int(np.sum(call == 1)), "FP": int(np.sum((truth == 0) & (call == 1))),\n'
     '        "FN": int(np.sum((truth == 1) & (call == 0))), "TN": int(np.sum((truth == 0) & (call == 0)))}',
     "TP counts every positive call"),
    ("q1_answer", 'truth, call = np.asarray(y_true), np.asarray(y_pred)\n'
     'return {"TP": int(np.sum((truth == 0) & (call == 0))), "FP": int(np.sum((truth == 0) & (call == 1))),\n'
     '        "FN": int(np.sum((truth == 1) & (call == 0))), "TN": int(np.sum((truth == 1) & (call == 1)))}',
     "TP and TN swapped"),
    # Q2: sensitivity and specificity
    ("q2_answer", 'return counts["TP"] / (counts["TP"] + counts["FN"]), counts["TN"] / (counts["TN"] + counts["FN"])',
     "specificity over all negative calls (wrong denominator)"),
    ("q2_answer", 'return counts["TN"] / (counts["TN"] + counts["FP"]), counts["TP"] / (counts["TP"] + counts["FN"])',
     "sensitivity and specificity swapped"),
    ("q2_answer", 'return 100 * counts["TP"] / (counts["TP"] + counts["FN"]), 100 * counts["TN"] / (counts["TN"] + counts["FP"])',
     "percentages instead of fractions"),
    ("q2_answer", 'return counts["TP"] / (counts["TP"] + counts["FP"]), counts["TN"] / (counts["TN"] + counts["FP"])',
     "sensitivity over all positive calls (the PPV)"),
    ("q2_answer", 'return counts["TP"] / (counts["TP"] + counts["FN"]), counts["FP"] / (counts["TN"] + counts["FP"])',
     "false-positive rate given as specificity"),
    # Q3: predictive values and likelihood ratios
    ("q3_answer", 'sensitivity, specificity = sens_spec(counts)\n'
     'return (counts["TP"] / (counts["TP"] + counts["FP"]), counts["TN"] / (counts["TN"] + counts["FP"]),\n'
     '        sensitivity / (1 - specificity), (1 - sensitivity) / specificity)',
     "NPV over all patients without disease (the specificity)"),
    ("q3_answer", 'sensitivity, specificity = sens_spec(counts)\n'
     'return (counts["TP"] / (counts["TP"] + counts["FP"]), counts["TN"] / (counts["TN"] + counts["FN"]),\n'
     '        sensitivity / specificity, (1 - sensitivity) / specificity)',
     "LR+ as sensitivity / specificity"),
    ("q3_answer", 'sensitivity, specificity = sens_spec(counts)\n'
     'return (counts["TP"] / (counts["TP"] + counts["FP"]), counts["TN"] / (counts["TN"] + counts["FN"]),\n'
     '        sensitivity / (1 - specificity), (1 - specificity) / sensitivity)',
     "LR- upside down"),
    ("q3_answer", 'sensitivity, specificity = sens_spec(counts)\n'
     'return (counts["TN"] / (counts["TN"] + counts["FN"]), counts["TP"] / (counts["TP"] + counts["FP"]),\n'
     '        sensitivity / (1 - specificity), (1 - sensitivity) / specificity)',
     "PPV and NPV swapped"),
    # Q4: the model at 0.5
    ("q4_answer", 'spec_05, sens_05 = sens_spec(confusion_counts(y_test, risk >= 0.5))', "sensitivity and specificity swapped"),
    ("q4_answer", 'sens_05, spec_05 = sens_spec(confusion_counts(y_train, model.predict_proba(X_train)[:, 1] >= 0.5))',
     "measured on the training patients"),
    ("q4_answer", 'sens_05, spec_05 = sens_spec(confusion_counts(y_test, risk < 0.5))', "positive calls below the threshold"),
    ("q4_answer", 'sens_05, spec_05 = (100 * v for v in sens_spec(confusion_counts(y_test, risk >= 0.5)))', "percentages"),
    ("q4_answer", 'sens_05, spec_05 = sens_spec(confusion_counts(y_test, risk >= 0.3))', "the wrong threshold"),
    # Q5: PPV at the clinic
    ("q5_answer", 'ppv_clinic = float(sens_05)', "PPV confused with sensitivity"),
    ("q5_answer", 'ppv_clinic = sens_05 / (sens_05 + 1 - spec_05)', "prevalence forgotten (taken as 50%)"),
    ("q5_answer", 'ppv_clinic = 0.1 * spec_05 / (0.1 * spec_05 + 0.9 * (1 - sens_05))', "sensitivity and specificity swapped"),
    ("q5_answer", 'c = confusion_counts(y_test, risk >= 0.5)\nppv_clinic = c["TP"] / (c["TP"] + c["FP"])',
     "the PPV at Cleveland's prevalence"),
    ("q5_answer", 'ppv_clinic = 100 * 0.1 * sens_05 / (0.1 * sens_05 + 0.9 * (1 - spec_05))', "a percentage"),
    ("q5_answer", 'ppv_clinic = 0.9 * spec_05 / (0.9 * spec_05 + 0.1 * (1 - sens_05))', "the NPV"),
    ("q5_answer", 'ppv_clinic = 0.1 * sens_05 / (0.1 * sens_05 + 0.9 * spec_05)', "specificity where 1 - specificity belongs"),
    ("q5_answer", 'ppv_clinic = "41%"', "a percentage typed as text"),
    # Q6: missed per 1,000
    ("q6_answer", 'missed_per_1000 = 1000 * clinic_prevalence * (1 - sens_05)', "the threshold of 0.5 instead of 0.3"),
    ("q6_answer", 'sens_03, spec_03 = sens_spec(confusion_counts(y_test, risk >= 0.3))\nmissed_per_1000 = 100 * clinic_prevalence * (1 - sens_03)',
     "per 100 instead of per 1,000"),
    ("q6_answer", 'sens_03, spec_03 = sens_spec(confusion_counts(y_test, risk >= 0.3))\nmissed_per_1000 = 1000 * (1 - sens_03)',
     "prevalence forgotten"),
    ("q6_answer", 'sens_03, spec_03 = sens_spec(confusion_counts(y_test, risk >= 0.3))\nmissed_per_1000 = 1000 * clinic_prevalence * sens_03',
     "patients found instead of missed"),
    # Q7: threshold from harms
    ("q7_answer", 'return float(harm_miss / (harm_false_alarm + harm_miss))', "harms the wrong way round"),
    ("q7_answer", 'return float(harm_false_alarm / harm_miss)', "the odds, not the probability"),
    ("q7_answer", 'return float(1 / harm_miss)', "ignores the harm of a false alarm"),
    # Q8: AUC
    ("q8_answer", 'auc_test = float(roc_auc_score(y_test, risk >= 0.5))', "AUC of the 0/1 calls instead of the risks"),
    ("q8_answer", 'auc_test = float(roc_auc_score(y_test, 1 - risk))', "risk of no CAD"),
    ("q8_answer", 'auc_test = float(roc_auc_score(y_train, model.predict_proba(X_train)[:, 1]))', "AUC on the training patients"),
    ("q8_answer", 'auc_test = float(roc_auc_score(risk, y_test))', "arguments swapped"),
    ("q8_answer", 'auc_test = 88', "a percentage typed for a fraction"),
    # Q9: post-test probability
    ("q9_answer", 'return float(min(pre_test * lr, 1.0))', "probability multiplied by the LR"),
    ("q9_answer", 'return float(pre_test / (1 - pre_test) * lr)', "returns the odds"),
    ("q9_answer", 'odds = pre_test / (1 - pre_test) * lr\nreturn float(odds / (1 - odds)) if odds < 1 else 0.99', "odds turned back the wrong way"),
    # Q10: net benefit
    ("q10_answer", 't = 0.2\ntruth = np.asarray(y_test)\nflagged = risk >= t\n'
     'nb_model = float(np.mean(flagged & (truth == 1)) - np.mean(flagged & (truth == 0)))\n'
     'nb_everyone = float(np.mean(truth) - (1 - np.mean(truth)) * t / (1 - t))\n'
     'model_beats_both = bool(nb_model > max(nb_everyone, 0))', "false positives not weighted"),
    ("q10_answer", 't = 0.2\ntruth = np.asarray(y_test)\nflagged = risk >= t\n'
     'nb_model = float(np.mean(flagged & (truth == 1)) - np.mean(flagged & (truth == 0)) * t / (1 - t))\n'
     'nb_everyone = float(np.mean(truth))\n'
     'model_beats_both = bool(nb_model > max(nb_everyone, 0))', "treat-all without its false alarms"),
    ("q10_answer", 't = 0.2\ntruth = np.asarray(y_test)\nflagged = risk >= t\n'
     'nb_model = float(np.sum(flagged & (truth == 1)) - np.sum(flagged & (truth == 0)) * t / (1 - t))\n'
     'nb_everyone = float(np.mean(truth) - (1 - np.mean(truth)) * t / (1 - t))\n'
     'model_beats_both = bool(nb_model > max(nb_everyone, 0))', "counts instead of per patient"),
    ("q10_answer", 't = 0.2\ntruth = np.asarray(y_test)\nflagged = risk >= t\n'
     'nb_model = float(np.mean(flagged & (truth == 1)) - np.mean(flagged & (truth == 0)) * t)\n'
     'nb_everyone = float(np.mean(truth) - (1 - np.mean(truth)) * t / (1 - t))\n'
     'model_beats_both = bool(nb_model > max(nb_everyone, 0))', "weight pt instead of pt / (1 - pt)"),
    ("q10_answer", 't = 0.2\ntruth = np.asarray(y_test)\nflagged = risk >= t\n'
     'nb_model = float(np.mean(flagged & (truth == 1)) - np.mean(flagged & (truth == 0)) * t / (1 - t))\n'
     'nb_everyone = float(np.mean(truth) - (1 - np.mean(truth)) * t / (1 - t))\n'
     'model_beats_both = bool(nb_model > nb_everyone)', "forgets referring no one"),
]

# A second set, different in kind from the first: early rounding, the wrong population or column, a number
# typed to the wrong precision or as text, a list where a number is asked, a formula that only happens to be
# right on a round example.
A01_MORE = [
    ("q1_answer", 'truth, call = np.asarray(y_true), np.asarray(y_pred)\n'
     'return {"TP": int(np.sum(truth == 1)), "FP": int(np.sum((truth == 0) & (call == 1))),\n'
     '        "FN": int(np.sum((truth == 1) & (call == 0))), "TN": int(np.sum((truth == 0) & (call == 0)))}',
     "TP counts every patient with disease"),
    ("q1_answer", 'truth, call = np.asarray(y_true), np.asarray(y_pred)\n'
     'return {"tp": int(np.sum((truth == 1) & (call == 1))), "fp": int(np.sum((truth == 0) & (call == 1))),\n'
     '        "fn": int(np.sum((truth == 1) & (call == 0))), "tn": int(np.sum((truth == 0) & (call == 0)))}',
     "keys in lower case"),
    ("q1_answer", 'truth, call = np.asarray(y_true), np.asarray(y_pred)\n'
     'return {"TP": int(np.sum((truth == 1) & (call == 1))), "FP": int(np.sum((truth == 0) & (call == 1))),\n'
     '        "FN": int(np.sum(call == 0)), "TN": int(np.sum((truth == 0) & (call == 0)))}',
     "FN counts every negative call"),
    ("q2_answer", 'return round(counts["TP"] / (counts["TP"] + counts["FN"]), 2), round(counts["TN"] / (counts["TN"] + counts["FP"]), 2)',
     "rounded to two decimals inside the function"),
    ("q2_answer", 'return counts["TP"] / (counts["TP"] + counts["FN"]), counts["TN"] / (counts["TP"] + counts["FP"] + counts["FN"] + counts["TN"])',
     "specificity over all patients"),
    ("q2_answer", 'return [counts["TP"] / (counts["TP"] + counts["FN"]), counts["TN"] / (counts["TN"] + counts["FP"])]',
     "a list instead of a pair"),
    ("q3_answer", 'specificity, sensitivity = sens_spec(counts)\n'
     'return (counts["TP"] / (counts["TP"] + counts["FP"]), counts["TN"] / (counts["TN"] + counts["FN"]),\n'
     '        sensitivity / (1 - specificity), (1 - sensitivity) / specificity)',
     "sens_spec unpacked in the wrong order"),
    ("q3_answer", 'sensitivity, specificity = sens_spec(counts)\n'
     'return (round(counts["TP"] / (counts["TP"] + counts["FP"]), 2), round(counts["TN"] / (counts["TN"] + counts["FN"]), 2),\n'
     '        round(sensitivity / (1 - specificity), 2), round((1 - sensitivity) / specificity, 2))',
     "rounded to two decimals inside the function"),
    ("q3_answer", 'sensitivity, specificity = sens_spec(counts)\n'
     'return (counts["TP"] / (counts["TP"] + counts["FP"]), counts["TN"] / (counts["TN"] + counts["FN"]),\n'
     '        (1 - sensitivity) / specificity, sensitivity / (1 - specificity))',
     "LR- returned before LR+"),
    ("q3_answer", 'sensitivity, specificity = sens_spec(counts)\n'
     'return (counts["TP"] / (counts["TP"] + counts["FP"]), counts["TN"] / (counts["TN"] + counts["FN"]),\n'
     '        sensitivity / (1 - specificity), specificity / (1 - sensitivity))',
     "LR- upside down: specificity / (1 - sensitivity)"),
    ("q4_answer", 'sens_05, spec_05 = sens_spec(confusion_counts(y_test, risk >= 50))', "threshold typed as a percentage"),
    ("q4_answer", 'sens_05, spec_05 = sens_spec(confusion_counts(y, model.predict_proba(X)[:, 1] >= 0.5))',
     "all Cleveland patients, training and test together"),
    ("q4_answer", 'sens_05 = sens_spec(confusion_counts(y_test, risk >= 0.5))\nspec_05 = sens_05[1]', "the pair stored in sens_05"),
    ("q4_answer", 'sens_05, spec_05 = 0.8, 0.9', "typed to one decimal"),
    ("q5_answer", 'ppv_clinic = 0.1 * sens_05 / (0.1 * sens_05 + (1 - spec_05))', "false positives not weighted by the 90% without CAD"),
    ("q5_answer", 'ppv_clinic = 0.1 / 0.9 * sens_05 / (1 - spec_05)', "the post-test odds, not a probability"),
    ("q5_answer", 'ppv_clinic = 1000 * clinic_prevalence * sens_05', "true positives per 1,000 (a count)"),
    ("q6_answer", 'sens_03, spec_03 = sens_spec(confusion_counts(y_test, risk >= 0.3))\nmissed_per_1000 = 1000 * clinic_prevalence * (1 - spec_03)',
     "specificity where sensitivity belongs"),
    ("q6_answer", 'sens_03, spec_03 = sens_spec(confusion_counts(y_test, risk >= 0.3))\nmissed_per_1000 = clinic_prevalence * (1 - sens_03)',
     "a share, not a count per 1,000"),
    ("q6_answer", 'sens_03, spec_03 = sens_spec(confusion_counts(y_train, model.predict_proba(X_train)[:, 1] >= 0.3))\n'
     'missed_per_1000 = 1000 * clinic_prevalence * (1 - sens_03)', "sensitivity on the training patients"),
    ("q7_answer", 'return float(1 / (1 + harm_miss))', "the harm of a false alarm taken as always 1"),
    ("q7_answer", 'return float(harm_false_alarm / (harm_miss + 1))', "the false alarm over the miss plus one"),
    ("q7_answer", 'return round(harm_false_alarm / (harm_false_alarm + harm_miss), 2)', "rounded to two decimals inside the function"),
    ("q8_answer", 'auc_test = 0.9', "typed to one decimal"),
    ("q8_answer", 'auc_test = float(roc_auc_score(y, model.predict_proba(X)[:, 1]))', "AUC of all Cleveland patients"),
    ("q8_answer", 'auc_test = [float(roc_auc_score(y_test, risk))]', "a list holding the number"),
    ("q9_answer", 'odds = pre_test / (1 - pre_test) * lr\nreturn float(1 / (1 + odds))', "odds turned back as 1 / (1 + odds)"),
    ("q9_answer", 'odds = pre_test / (1 - pre_test) * lr\nreturn round(odds / (1 + odds), 2)', "rounded to two decimals inside the function"),
    ("q9_answer", 'odds = pre_test / (1 - pre_test) + lr\nreturn float(odds / (1 + odds))', "the LR added to the odds"),
    ("q10_answer", 't = 0.2\ntruth = np.asarray(y_test)\nflagged = risk >= t\nn = truth.sum()\n'
     'nb_model = float(np.sum(flagged & (truth == 1)) / n - np.sum(flagged & (truth == 0)) / n * t / (1 - t))\n'
     'nb_everyone = float(np.mean(truth) - (1 - np.mean(truth)) * t / (1 - t))\n'
     'model_beats_both = bool(nb_model > max(nb_everyone, 0))', "divided by the patients with CAD, not all patients"),
    ("q10_answer", 't = 0.2\ntruth = np.asarray(y_test)\nflagged = risk >= t\n'
     'nb_model = float(np.mean(flagged & (truth == 1)) - np.mean(flagged & (truth == 0)) * t / (1 - t))\n'
     'nb_everyone = float(clinic_prevalence - (1 - clinic_prevalence) * t / (1 - t))\n'
     'model_beats_both = bool(nb_model > max(nb_everyone, 0))', "the clinic's prevalence for referring everyone"),
    ("q10_answer", 't = 0.2\ntruth = np.asarray(y_test)\nflagged = risk >= t\n'
     'nb_model = round(float(np.mean(flagged & (truth == 1)) - np.mean(flagged & (truth == 0)) * t / (1 - t)), 2)\n'
     'nb_everyone = round(float(np.mean(truth) - (1 - np.mean(truth)) * t / (1 - t)), 2)\n'
     'model_beats_both = "True"', "rounded to two decimals, True typed as text"),
]

_Q3 = ('calibration = {{}}\nfor name in ["Cleveland test", "VA Long Beach"]:\n    g = groups[name]\n'
       '    lp = logit(g["risk"].to_numpy())\n    y = g["cad"].to_numpy()\n{}\n'
       '    calibration[name] = {{"intercept": float(intercept), "slope": float(slope)}}')
_Q8 = ('def net_benefit(y, refer, pt):\n    y, refer = np.asarray(y, dtype=bool), np.asarray(refer, dtype=bool)\n'
       '    return float({})\n\n\ny_check = va_check["cad"].to_numpy()\n'
       'net_benefit_20 = {{"treat all": net_benefit(y_check, np.ones(len(y_check)), PT), '
       '"model": net_benefit(y_check, va_check["risk"] >= PT, PT), '
       '"recalibrated": net_benefit(y_check, {} >= PT, PT)}}')
_NB = "np.sum(refer & y) / len(y) - np.sum(refer & ~y) / len(y) * pt / (1 - pt)"
_Q6_NO_CAD = ('a, b = sm.GLM(va_update["cad"].to_numpy(), sm.add_constant(x_update), family=sm.families.Binomial()).fit().params\n'
              'recalibration = {"intercept": float(a), "slope": float(b)}\n'
              'risk_check_recalibrated = 1 / (1 + np.exp(a + b * logit(va_check["risk"].to_numpy())))\n'
              'auc_check = {"before": float(roc_auc_score(va_check["cad"], va_check["risk"])), '
              '"after": float(roc_auc_score(va_check["cad"], risk_check_recalibrated))}')

A02 = [
    ("q1_answer", 'oe = {name: float(g["risk"].sum() / g["cad"].sum()) for name, g in groups.items()}', "E/O instead of O/E"),
    ("q1_answer", 'oe = {name: float(100 * g["cad"].sum() / g["risk"].sum()) for name, g in groups.items()}', "a percentage"),
    ("q1_answer", 'oe = {name: float(g["cad"].mean() / g["risk"].sum()) for name, g in groups.items()}', "prevalence over summed risks"),
    ("q1_answer", 'oe = {name: float(g["cad"].sum() / (g["risk"] >= 0.5).sum()) for name, g in groups.items()}',
     "expected counted from 0/1 calls"),
    ("q1_answer", 'oe = {name: float(g["cad"].mean() - g["risk"].mean()) for name, g in groups.items()}',
     "observed minus expected (a difference, not a ratio)"),
    ("q1_answer", 'oe = {}\nfor name in groups:\n    site = "Cleveland" if name == "Cleveland test" else name\n'
     '    g = heart[heart["site"] == site]\n    oe[name] = float(g["cad"].sum() / g["risk"].sum())',
     "Cleveland's ratio on all its patients, the training two thirds included"),
    ("q2_answer", 'over_predicted_site, most_under_predicted_site = "VA Long Beach", "Switzerland"', "reads O/E above 1 as over-prediction"),
    ("q2_answer", 'external = {n: v for n, v in oe.items() if n != "Cleveland test"}\n'
     'over_predicted_site = max(external, key=external.get)\nmost_under_predicted_site = min(external, key=external.get)',
     "over and under the wrong way round"),
    ("q2_answer", 'over_predicted_site, most_under_predicted_site = "Hungary", "VA Long Beach"', "picks the second-largest under-prediction"),
    ("q2_answer", 'over_predicted_site, most_under_predicted_site = "hungary", "switzerland"', "names typed in lower case"),
    ("q3_answer", _Q3.format('    intercept, slope = sm.GLM(y, sm.add_constant(lp), family=sm.families.Binomial()).fit().params'),
     "intercept taken from the model with a slope"),
    ("q3_answer", _Q3.format('    slope = sm.GLM(y, sm.add_constant(lp), family=sm.families.Binomial()).fit().params[1]\n'
                             '    intercept = sm.GLM(y, np.ones_like(lp), family=sm.families.Binomial(), offset=lp).fit().params[0]\n'
                             '    intercept, slope = slope, intercept'), "intercept and slope swapped"),
    ("q3_answer", _Q3.format('    intercept = sm.GLM(y, np.ones_like(lp), family=sm.families.Binomial(), offset=lp).fit().params[0]\n'
                             '    slope = LogisticRegression().fit(lp[:, None], y).coef_[0, 0]'), "slope shrunk by the default penalty"),
    ("q3_answer", _Q3.format('    intercept = sm.GLM(y, np.ones_like(lp), family=sm.families.Binomial(), offset=lp).fit().params[0]\n'
                             '    slope = sm.GLM(y, sm.add_constant(g["risk"].to_numpy()), family=sm.families.Binomial()).fit().params[1]'),
     "slope on the risk, not its logit"),
    ("q3_answer", _Q3.format('    intercept = sm.GLM(y, np.ones_like(lp), family=sm.families.Binomial(), offset=lp).fit().params[0]\n'
                             '    slope = sm.Logit(y, lp).fit(disp=0).params[0]'), "slope from sm.Logit without a constant"),
    ("q4_answer", 'scaled_brier = {n: float(brier_score_loss(groups[n]["cad"], groups[n]["risk"])) for n in ["Cleveland test", "VA Long Beach"]}',
     "the Brier score itself"),
    ("q4_answer", 'scaled_brier = {n: float(1 - brier_score_loss(groups[n]["cad"], groups[n]["risk"])) for n in ["Cleveland test", "VA Long Beach"]}',
     "prevalence forgotten"),
    ("q4_answer", 'scaled_brier = {n: float(100 * (1 - brier_score_loss(groups[n]["cad"], groups[n]["risk"]) / (groups[n]["cad"].mean() * (1 - groups[n]["cad"].mean())))) for n in ["Cleveland test", "VA Long Beach"]}',
     "a percentage"),
    ("q4_answer", 'scaled_brier = {n: float(1 - brier_score_loss(groups[n]["cad"], groups[n]["risk"]) / groups[n]["cad"].mean()) for n in ["Cleveland test", "VA Long Beach"]}',
     "divided by the prevalence alone"),
    ("q4_answer", 'scaled_brier = {n: float(1 - brier_score_loss(groups[n]["cad"], (groups[n]["risk"] >= 0.5).astype(float)) / (groups[n]["cad"].mean() * (1 - groups[n]["cad"].mean()))) for n in ["Cleveland test", "VA Long Beach"]}',
     "Brier score of the 0/1 calls, not the risks"),
    ("q5_answer", 'x_update = logit(va_update["risk"].to_numpy())\n'
     'intercept_update = float(sm.GLM(va_update["cad"].to_numpy(), sm.add_constant(x_update), family=sm.families.Binomial()).fit().params[0])\n'
     'oe_after_update = {n: float(g["cad"].sum() / (1 / (1 + np.exp(-(logit(g["risk"].to_numpy()) + intercept_update)))).sum()) for n, g in [("update", va_update), ("check", va_check)]}',
     "intercept from the model with a slope (no offset)"),
    ("q5_answer", 'x_update = logit(va_update["risk"].to_numpy())\n'
     'intercept_update = float(sm.GLM(va_update["cad"].to_numpy(), np.ones(len(x_update)), family=sm.families.Binomial(), offset=x_update).fit().params[0])\n'
     'oe_after_update = {n: float(g["cad"].sum() / (g["risk"] + intercept_update).sum()) for n, g in [("update", va_update), ("check", va_check)]}',
     "correction added to the risk, not the log-odds"),
    ("q5_answer", 'x_update = logit(va_update["risk"].to_numpy())\n'
     'intercept_update = float(sm.GLM(va_update["cad"].to_numpy(), np.ones(len(x_update)), family=sm.families.Binomial(), offset=x_update).fit().params[0])\n'
     'oe_after_update = {n: float(g["cad"].sum() / g["risk"].sum()) for n, g in [("update", va_update), ("check", va_check)]}',
     "O/E of the original risks"),
    ("q5_answer", 'x_update = logit(va_update["risk"].to_numpy())\n'
     'intercept_update = -float(sm.GLM(va_update["cad"].to_numpy(), np.ones(len(x_update)), family=sm.families.Binomial(), offset=x_update).fit().params[0])\n'
     'oe_after_update = {n: float(g["cad"].sum() / (1 / (1 + np.exp(-(logit(g["risk"].to_numpy()) + intercept_update)))).sum()) for n, g in [("update", va_update), ("check", va_check)]}',
     "sign of the correction"),
    ("q5_answer", 'x_update = logit(va_update["risk"].to_numpy())\nx_check = logit(va_check["risk"].to_numpy())\n'
     'intercept_update = float(sm.GLM(va_check["cad"].to_numpy(), np.ones(len(x_check)), family=sm.families.Binomial(), offset=x_check).fit().params[0])\n'
     'oe_after_update = {n: float(g["cad"].sum() / (1 / (1 + np.exp(-(logit(g["risk"].to_numpy()) + intercept_update)))).sum()) for n, g in [("update", va_update), ("check", va_check)]}',
     "intercept fitted on the check half"),
    ("q6_answer", 'a, b = sm.GLM(va_update["cad"].to_numpy(), sm.add_constant(x_update), family=sm.families.Binomial()).fit().params\n'
     'recalibration = {"intercept": float(a), "slope": float(b)}\n'
     'risk_check_recalibrated = 1 / (1 + np.exp(-(a + b * logit(va_check["risk"].to_numpy()))))\n'
     'auc_check = {"before": float(roc_auc_score(va_check["cad"], va_check["risk"] >= 0.5)), "after": float(roc_auc_score(va_check["cad"], risk_check_recalibrated >= 0.5))}',
     "AUC of the 0/1 calls"),
    ("q6_answer", 'a, b = sm.GLM(va_update["cad"].to_numpy(), sm.add_constant(x_update), family=sm.families.Binomial()).fit().params\n'
     'recalibration = {"intercept": float(a), "slope": float(b)}\n'
     'risk_check_recalibrated = a + b * logit(va_check["risk"].to_numpy())\n'
     'auc_check = {"before": float(roc_auc_score(va_check["cad"], va_check["risk"])), "after": float(roc_auc_score(va_check["cad"], risk_check_recalibrated))}',
     "recalibrated log-odds left as log-odds"),
    ("q6_answer", 'a, b = sm.GLM(va_check["cad"].to_numpy(), sm.add_constant(logit(va_check["risk"].to_numpy())), family=sm.families.Binomial()).fit().params\n'
     'recalibration = {"intercept": float(a), "slope": float(b)}\n'
     'risk_check_recalibrated = 1 / (1 + np.exp(-(a + b * logit(va_check["risk"].to_numpy()))))\n'
     'auc_check = {"before": float(roc_auc_score(va_check["cad"], va_check["risk"])), "after": float(roc_auc_score(va_check["cad"], risk_check_recalibrated))}',
     "recalibrated on the check half"),
    ("q6_answer", 'a, b = sm.GLM(va_update["cad"].to_numpy(), sm.add_constant(x_update), family=sm.families.Binomial()).fit().params\n'
     'recalibration = {"intercept": float(b), "slope": float(a)}\n'
     'risk_check_recalibrated = 1 / (1 + np.exp(-(a + b * logit(va_check["risk"].to_numpy()))))\n'
     'auc_check = {"before": float(roc_auc_score(va_check["cad"], va_check["risk"])), "after": float(roc_auc_score(va_check["cad"], risk_check_recalibrated))}',
     "intercept and slope swapped"),
    ("q6_answer", 'a, b = sm.GLM(va_update["cad"].to_numpy(), sm.add_constant(x_update), family=sm.families.Binomial()).fit().params\n'
     'recalibration = {"intercept": float(a), "slope": float(b)}\n'
     'risk_check_recalibrated = 1 / (1 + np.exp(-(a + b * logit(va_check["risk"].to_numpy()))))\n'
     'auc_check = {"before": float(roc_auc_score(va_check["risk"], va_check["cad"])), "after": float(roc_auc_score(risk_check_recalibrated, va_check["cad"]))}',
     "roc_auc_score's arguments swapped"),
    ("q6_answer", _Q6_NO_CAD, "recalibrated log-odds turned back with the wrong sign (risks of no CAD)"),
    ("q6_answer", 'fit = LogisticRegression().fit(x_update[:, None], va_update["cad"])\n'
     'a, b = float(fit.intercept_[0]), float(fit.coef_[0, 0])\n'
     'recalibration = {"intercept": a, "slope": b}\n'
     'risk_check_recalibrated = 1 / (1 + np.exp(-(a + b * logit(va_check["risk"].to_numpy()))))\n'
     'auc_check = {"before": float(roc_auc_score(va_check["cad"], va_check["risk"])), '
     '"after": float(roc_auc_score(va_check["cad"], risk_check_recalibrated))}',
     "recalibration shrunk by scikit-learn's default penalty"),
    ("q7_answer", 'rng = np.random.default_rng(42)\nresamples = rng.integers(0, len(va), size=(1000, len(va)))\n'
     'lp_va, y_va = logit(va["risk"].to_numpy()), va["cad"].to_numpy()\n'
     'slopes = [sm.GLM(y_va[i], sm.add_constant(lp_va[i]), family=sm.families.Binomial()).fit().params[0] for i in resamples]\n'
     'slope_ci = [float(v) for v in np.percentile(slopes, [2.5, 97.5])]', "bootstraps the intercept"),
    ("q7_answer", 'rng = np.random.default_rng(42)\nresamples = rng.integers(0, len(va), size=(1000, len(va)))\n'
     'lp_va, y_va = logit(va["risk"].to_numpy()), va["cad"].to_numpy()\n'
     'slopes = [sm.GLM(y_va[i], sm.add_constant(lp_va[i]), family=sm.families.Binomial()).fit().params[1] for i in resamples]\n'
     'slope_ci = [float(np.mean(slopes) - 1.96 * np.std(slopes) / np.sqrt(1000)), float(np.mean(slopes) + 1.96 * np.std(slopes) / np.sqrt(1000))]',
     "interval of the mean (standard error)"),
    ("q7_answer", 'rng = np.random.default_rng(42)\nresamples = rng.integers(0, len(va), size=(1000, len(va)))\n'
     'lp_va, y_va = logit(va["risk"].to_numpy()), va["cad"].to_numpy()\n'
     'slopes = [sm.GLM(y_va[i], sm.add_constant(lp_va[i]), family=sm.families.Binomial()).fit().params[1] for i in resamples]\n'
     'slope_ci = [float(v) for v in np.percentile(slopes, [5, 95])]', "a 90% interval"),
    ("q7_answer", 'rng = np.random.default_rng(42)\nresamples = rng.integers(0, len(va), size=(1000, len(va)))\n'
     'lp_va, y_va = logit(va["risk"].to_numpy()), va["cad"].to_numpy()\n'
     'slopes = [sm.GLM(y_va[i], sm.add_constant(va["risk"].to_numpy()[i]), family=sm.families.Binomial()).fit().params[1] for i in resamples]\n'
     'slope_ci = [float(v) for v in np.percentile(slopes, [2.5, 97.5])]', "slope on the risk, not its logit"),
    ("q7_answer", 'rng = np.random.default_rng(42)\n'
     'resamples = np.array([rng.choice(len(va), size=len(va), replace=False) for _ in range(1000)])\n'
     'lp_va, y_va = logit(va["risk"].to_numpy()), va["cad"].to_numpy()\n'
     'slopes = [sm.GLM(y_va[i], sm.add_constant(lp_va[i]), family=sm.families.Binomial()).fit().params[1] for i in resamples]\n'
     'slope_ci = [float(v) for v in np.percentile(slopes, [2.5, 97.5])]', "resamples drawn without replacement"),
    ("q8_answer", _Q8.format("np.sum(refer & y) / len(y) - np.sum(refer & ~y) / len(y)", "risk_check_recalibrated"),
     "false positives not weighted"),
    ("q8_answer", _Q8.format("np.sum(refer & y) - np.sum(refer & ~y) * pt / (1 - pt)", "risk_check_recalibrated"),
     "counts, not per patient"),
    ("q8_answer", _Q8.format("np.sum(refer & y) / len(y) - np.sum(refer & ~y) / len(y) * pt", "risk_check_recalibrated"),
     "weight pt instead of pt / (1 - pt)"),
    ("q8_answer", _Q8.format(_NB, 'va_check["risk"]'), "recalibrated strategy from the original risks"),
    ("q8_answer", _Q8.format(_NB, "risk_check_recalibrated").replace(">= PT, PT)", ">= 20, PT)"),
     "threshold typed as a percentage (risk >= 20)"),
    ("q9_answer", 'avoided_per_1000 = (net_benefit_20["model"] - net_benefit_20["treat all"]) * 1000', "the threshold's weight forgotten"),
    ("q9_answer", 'avoided_per_1000 = (net_benefit_20["model"] - net_benefit_20["treat all"]) / (PT / (1 - PT)) * 100', "per 100"),
    ("q9_answer", 'avoided_per_1000 = (net_benefit_20["treat all"] - net_benefit_20["model"]) / (PT / (1 - PT)) * 1000', "difference the wrong way"),
    ("q9_answer", 'avoided_per_1000 = (net_benefit_20["recalibrated"] - net_benefit_20["treat all"]) / (PT / (1 - PT)) * 1000',
     "the recalibrated model instead of the original"),
    ("q9_answer", 'avoided_per_1000 = (net_benefit_20["model"] - net_benefit_20["treat all"]) / PT * 1000', "divided by pt, not its odds"),
    ("q10_read_answer", 'over_predicted_fifths = [1, 2, 3]\nrisk_near_threshold = "too low"', "the under-predicted fifths"),
    ("q10_read_answer", 'over_predicted_fifths = [4, 5]\nrisk_near_threshold = "too high"', "reads the threshold's fifth the wrong way"),
    ("q10_read_answer", 'over_predicted_fifths = [5]\nrisk_near_threshold = "too low"', "misses one fifth"),
    ("q10_read_answer", 'over_predicted_fifths = ["4", "5"]\nrisk_near_threshold = "too low"', "fifths typed as text"),
]

_PERM = ('shuffled_result = permutation_importance(forest, {}, {}, scoring={}, n_repeats=10, random_state=0)\n'
         'perm_scores = pd.Series(shuffled_result.importances_mean, index=X_test.columns)\nperm_top = str(perm_scores.idxmax())')
_MS = ('her_explanation = shap.TreeExplainer(forest)(ms_s)[0, :, {}]\nms_s_base = float(her_explanation.base_values)\n'
       'ms_s_shap = pd.Series(her_explanation.values, index=ms_s.columns)\nms_s_top_up = str(ms_s_shap.{}())')

A03 = [
    ("q1_answer", 'coefficients = dict(zip(X.columns, logreg.coef_[0]))\nor_exercise_angina = float(coefficients["exercise_angina"])\n'
     'or_heart_rate_10 = float(10 * coefficients["max_heart_rate"])', "coefficients (log odds ratios) kept"),
    ("q1_answer", 'coefficients = dict(zip(X.columns, logreg.coef_[0]))\nor_exercise_angina = float(np.exp(coefficients["exercise_angina"]))\n'
     'or_heart_rate_10 = float(np.exp(coefficients["max_heart_rate"]))', "odds ratio per beat, not per 10 beats"),
    ("q1_answer", 'coefficients = dict(zip(X.columns, logreg.coef_[0]))\nor_exercise_angina = float(np.exp(coefficients["exercise_angina"]))\n'
     'or_heart_rate_10 = float(10 * np.exp(coefficients["max_heart_rate"]))', "odds ratio multiplied by 10"),
    ("q2_answer", _PERM.format("X_train", "y_train", '"roc_auc"'), "importance on the training patients"),
    ("q2_answer", _PERM.format("X_test", "y_test", '"accuracy"'), "scored by accuracy, not AUC"),
    ("q2_answer", 'shuffled_result = permutation_importance(forest, X_test, y_test, scoring="roc_auc", n_repeats=10, random_state=0)\n'
     'perm_scores = pd.Series(shuffled_result.importances_std, index=X_test.columns)\nperm_top = str(perm_scores.idxmax())',
     "standard deviations instead of means"),
    ("q3_answer", 'tree_explainer = shap.TreeExplainer(forest)\ntest_values = tree_explainer(X_test).values[:, :, 1]\n'
     'mean_abs_shap = pd.Series(np.abs(np.mean(test_values, axis=0)), index=X_test.columns)\nshap_top = str(mean_abs_shap.idxmax())',
     "absolute value of the mean, not mean of absolute values"),
    ("q3_answer", 'tree_explainer = shap.TreeExplainer(forest)\ntest_values = tree_explainer(X_train).values[:, :, 1]\n'
     'mean_abs_shap = pd.Series(np.mean(np.abs(test_values), axis=0), index=X_test.columns)\nshap_top = str(mean_abs_shap.idxmax())',
     "on the training patients"),
    ("q3_answer", 'tree_explainer = shap.TreeExplainer(forest)\ntest_values = tree_explainer(X_test).values[:, :, 1]\n'
     'mean_abs_shap = pd.Series(np.mean(test_values, axis=0), index=X_test.columns)\nshap_top = str(mean_abs_shap.idxmax())',
     "mean SHAP without the absolute value"),
    ("q4_answer", _MS.format(0, "idxmax"), "explains the probability of no CAD"),
    ("q4_answer", _MS.format(1, "idxmin"), "the input that pushed her score down"),
    ("q4_answer", _MS.format(1, "abs().idxmax"), "largest push either way"),
    ("q5_answer", 'or_radius_alone = float(or_per_sd(["mean_radius"] + others)["mean_radius"])\n'
     'or_radius_with_twins = float(or_per_sd(["mean_radius"] + others)["mean_radius"])', "the twins left out of the second model"),
    ("q5_answer", 'or_radius_alone = float(or_per_sd(sizes + others)["mean_radius"])\n'
     'or_radius_with_twins = float(or_per_sd(["mean_radius"] + others)["mean_radius"])', "the two models swapped"),
    ("q5_answer", 'or_radius_alone = float(np.log(or_per_sd(["mean_radius"] + others)["mean_radius"]))\n'
     'or_radius_with_twins = float(np.log(or_per_sd(sizes + others)["mean_radius"]))', "log odds ratios"),
    ("q5_answer", 'or_radius_alone = float(or_per_sd(["mean_radius"] + others)["mean_radius"])\n'
     'or_radius_with_twins = float(or_per_sd(sizes)["mean_radius"])', "the three other inputs left out of the second model"),
    ("q5_answer", 'or_radius_alone = float(or_per_sd(["mean_radius"] + others)["mean_radius"])\n'
     'or_radius_with_twins = float(or_per_sd(["mean_radius", "mean_area"] + others)["mean_radius"])', "one twin left out"),
    ("q6_answer", 'fall_radius = shuffle_fall(["mean_radius"])\nfall_sizes = shuffle_fall(sizes)\ntrust = "A"', "trusts the small importance"),
    ("q6_answer", 'fall_radius = shuffle_fall(["mean_radius"])\nfall_sizes = shuffle_fall(sizes)\ntrust = "B"', "trusts the odds ratio with twins"),
    ("q6_answer", 'fall_radius = shuffle_fall(["mean_radius"])\nfall_sizes = sum(shuffle_fall([c]) for c in sizes)\ntrust = "C"',
     "adds the single falls instead of shuffling together"),
    ("q7_answer", 'leak_column = "st_slope_flat"\nhonest_columns = [c for c in X_extract.columns if c != leak_column]\n'
     'refit = RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=1)\nrefit.fit(X_extract_train[honest_columns], y_train)\n'
     'auc_without_leak = float(roc_auc_score(y_test, refit.predict_proba(X_extract_test[honest_columns])[:, 1]))', "removes the honest new column"),
    ("q7_answer", 'leak_column = "report_grade"\nauc_without_leak = float(roc_auc_score(y_test, extract_forest.predict_proba(X_extract_test)[:, 1]))',
     "AUC of the leaky model"),
    ("q7_answer", 'leak_column = "report_grade"\nhonest_columns = [c for c in X_extract.columns if c != leak_column]\n'
     'refit = RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=1)\nrefit.fit(X_extract_train[honest_columns], y_train)\n'
     'auc_without_leak = float(roc_auc_score(y_test, refit.predict(X_extract_test[honest_columns])))', "AUC of the 0/1 calls"),
    ("q7_answer", 'leak_column = "report_grade"\nhonest_columns = [c for c in X_extract.columns if c != leak_column]\n'
     'refit = RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=1)\nrefit.fit(X_extract_train[honest_columns], y_train)\n'
     'auc_without_leak = float(roc_auc_score(refit.predict_proba(X_extract_test[honest_columns])[:, 1], y_test))', "roc_auc_score's arguments swapped"),
    ("q8_answer", 'statements = {"a": True, "b": True, "c": True, "d": False}', "reads SHAP as causal"),
    ("q8_answer", 'statements = {"a": False, "b": True, "c": False, "d": False}', "low importance read as useless"),
    ("q8_answer", 'statements = {"a": False, "b": True, "c": True, "d": True}', "global importance read as every patient's push"),
    ("q9_answer", 'oe_ratio = float(p_test.sum() / y_test.sum())  # E/O\nscore_logit = np.log(p_test / (1 - p_test))\n'
     'cal_slope = float(LogisticRegression(C=np.inf).fit(score_logit.reshape(-1, 1), y_test).coef_[0, 0])', "E/O instead of O/E"),
    ("q9_answer", 'oe_ratio = float(y_test.sum() / p_test.sum())\n'
     'cal_slope = float(LogisticRegression(C=np.inf).fit(p_test.reshape(-1, 1), y_test).coef_[0, 0])', "slope on the score, not its logit"),
    ("q9_answer", 'oe_ratio = float(y_test.sum() / p_test.sum())\nscore_logit = np.log(p_test / (1 - p_test))\n'
     'cal_slope = float(LogisticRegression().fit(score_logit.reshape(-1, 1), y_test).coef_[0, 0])', "penalised slope"),
]

A03_MORE = [
    ("q1_answer", 'coefficients = dict(zip(X.columns, logreg.coef_[0]))\nor_exercise_angina = float(np.exp(-coefficients["exercise_angina"]))\n'
     'or_heart_rate_10 = float(np.exp(10 * coefficients["max_heart_rate"]))', "no angina versus angina (the odds ratio upside down)"),
    ("q1_answer", 'or_exercise_angina = float(np.exp(logreg.coef_[0][10]))\nor_heart_rate_10 = float(np.exp(10 * logreg.coef_[0][8]))',
     "the coefficient of the next column (counted from 1)"),
    ("q1_answer", 'coefficients = dict(zip(X.columns, logreg.coef_[0]))\nor_exercise_angina = float(np.exp(coefficients["exercise_angina"]))\n'
     'or_heart_rate_10 = float(np.exp(coefficients["max_heart_rate"] / 10))', "the coefficient divided by 10"),
    ("q2_answer", 'shuffled_result = permutation_importance(forest, X_test, y_test, scoring="roc_auc", n_repeats=10, random_state=0)\n'
     'perm_scores = pd.Series(shuffled_result.importances_mean, index=X_test.columns).round(3)\nperm_top = str(perm_scores.idxmax())',
     "stored rounded to three decimals, as printed"),
    ("q2_answer", 'shuffled_result = permutation_importance(forest, X_test, y_test, scoring="roc_auc", random_state=0)\n'
     'perm_scores = pd.Series(shuffled_result.importances_mean, index=X_test.columns)\nperm_top = str(perm_scores.idxmax())',
     "n_repeats left at its default"),
    ("q2_answer", 'shuffled_result = permutation_importance(forest, X_test, y_test, scoring="roc_auc", n_repeats=10, random_state=0)\n'
     'perm_scores = pd.Series(shuffled_result.importances_mean, index=X_test.columns).sort_values(ascending=False)\n'
     'perm_top = str(perm_scores.idxmax())', "the Series sorted by importance"),
    ("q3_answer", 'tree_explainer = shap.TreeExplainer(forest)\ntest_values = tree_explainer(X_test).values[:, :, 1]\n'
     'mean_abs_shap = pd.Series(np.mean(np.abs(test_values), axis=0), index=X_test.columns).round(3)\nshap_top = str(mean_abs_shap.idxmax())',
     "stored rounded to three decimals, as printed"),
    ("q3_answer", 'tree_explainer = shap.TreeExplainer(forest)\ntest_values = tree_explainer(X_test).values[:, :, 1]\n'
     'mean_abs_shap = pd.Series(np.sum(np.abs(test_values), axis=0), index=X_test.columns)\nshap_top = str(mean_abs_shap.idxmax())',
     "the sum over patients, not the mean"),
    ("q3_answer", 'tree_explainer = shap.TreeExplainer(forest)\ntest_values = tree_explainer(X).values[:, :, 1]\n'
     'mean_abs_shap = pd.Series(np.mean(np.abs(test_values), axis=0), index=X_test.columns)\nshap_top = str(mean_abs_shap.idxmax())',
     "all patients, training and test together"),
    ("q4_answer", 'her_explanation = shap.TreeExplainer(forest, X_train)(ms_s)[0, :, 1]\nms_s_base = float(her_explanation.base_values)\n'
     'ms_s_shap = pd.Series(her_explanation.values, index=ms_s.columns)\nms_s_top_up = str(ms_s_shap.idxmax())',
     "the training patients passed as background data"),
    ("q4_answer", 'her_explanation = shap.TreeExplainer(forest)(X_test.iloc[[6]])[0, :, 1]\nms_s_base = float(her_explanation.base_values)\n'
     'ms_s_shap = pd.Series(her_explanation.values, index=ms_s.columns)\nms_s_top_up = str(ms_s_shap.idxmax())',
     "the seventh test patient, not Ms S."),
    ("q4_answer", 'her_explanation = shap.TreeExplainer(forest)(ms_s)[0, :, 1]\nms_s_base = float(her_explanation.base_values)\n'
     'ms_s_shap = pd.Series(100 * her_explanation.values, index=ms_s.columns)\nms_s_top_up = str(ms_s_shap.idxmax())',
     "SHAP values in percentage points"),
    ("q5_answer", 'or_radius_alone = float(or_per_sd(["mean_radius"])["mean_radius"])\n'
     'or_radius_with_twins = float(or_per_sd(sizes + others)["mean_radius"])', "the radius alone, without the three other inputs"),
    ("q5_answer", 'or_radius_alone = float(or_per_sd(["mean_radius"] + others)["mean_radius"])\n'
     'or_radius_with_twins = float(or_per_sd(sizes + others)["mean_area"])', "the area's odds ratio read from the six-input model"),
    ("q5_answer", 'or_radius_alone = float(1 / or_per_sd(["mean_radius"] + others)["mean_radius"])\n'
     'or_radius_with_twins = float(1 / or_per_sd(sizes + others)["mean_radius"])', "odds ratios upside down"),
    ("q6_answer", 'fall_radius = shuffle_fall(["mean_area"])\nfall_sizes = shuffle_fall(sizes)\ntrust = "C"', "the area shuffled for the radius"),
    ("q6_answer", 'fall_radius = shuffle_fall(["mean_radius"])\nfall_sizes = shuffle_fall(["mean_radius", "mean_perimeter"])\ntrust = "C"',
     "the area left out of the size group"),
    ("q6_answer", 'fall_radius = shuffle_fall(["mean_radius"])\nfall_sizes = shuffle_fall(sizes)\ntrust = "C."', "the letter typed with a full stop"),
    ("q7_answer", 'leak_column = "report_grade"\nhonest_columns = [c for c in X_extract.columns if c != leak_column]\n'
     'refit = RandomForestClassifier(random_state=1)\nrefit.fit(X_extract_train[honest_columns], y_train)\n'
     'auc_without_leak = float(roc_auc_score(y_test, refit.predict_proba(X_extract_test[honest_columns])[:, 1]))', "the forest's default settings"),
    ("q7_answer", 'leak_column = "report_grade"\nhonest_columns = [c for c in X_extract.columns if c != leak_column]\n'
     'refit = RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=1)\nrefit.fit(X_extract_train[honest_columns], y_train)\n'
     'auc_without_leak = float(roc_auc_score(y_train, refit.predict_proba(X_extract_train[honest_columns])[:, 1]))', "AUC on the training patients"),
    ("q7_answer", 'leak_column = "report_grade"\nhonest_columns = [c for c in X_extract.columns if c != leak_column]\n'
     'refit = RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=1)\nrefit.fit(X_extract[honest_columns], y)\n'
     'auc_without_leak = float(roc_auc_score(y_test, refit.predict_proba(X_extract_test[honest_columns])[:, 1]))',
     "refitted on all patients, test patients included"),
    ("q8_answer", 'statements = {"a": "False", "b": "True", "c": "True", "d": "False"}', "True and False typed as text"),
    ("q8_answer", 'statements = {"A": False, "B": True, "C": True, "D": False}', "keys in capitals"),
    ("q9_answer", 'oe_ratio = float(y_test.sum() / forest.predict(X_test).sum())\nscore_logit = np.log(p_test / (1 - p_test))\n'
     'cal_slope = float(LogisticRegression(C=np.inf).fit(score_logit.reshape(-1, 1), y_test).coef_[0, 0])', "expected counted from the 0/1 calls"),
    ("q9_answer", 'p_train = forest.predict_proba(X_train)[:, 1]\noe_ratio = float(y_train.sum() / p_train.sum())\n'
     'score_logit = np.log(p_train / (1 - p_train))\n'
     'cal_slope = float(LogisticRegression(C=np.inf).fit(score_logit.reshape(-1, 1), y_train).coef_[0, 0])', "on the training patients"),
    ("q9_answer", 'oe_ratio = float(y_test.sum() / p_test.sum())\nscore_logit = np.log10(p_test / (1 - p_test))\n'
     'cal_slope = float(LogisticRegression(C=np.inf).fit(score_logit.reshape(-1, 1), y_test).coef_[0, 0])', "logit in base 10"),
]

_ER = ('truth = np.asarray(y_true).astype(int)\ncall = np.asarray(y_pred).astype(int)\n'
       'fn = np.sum((truth == 1) & (call == 0))\ntp = np.sum((truth == 1) & (call == 1))\n'
       'fp = np.sum((truth == 0) & (call == 1))\ntn = np.sum((truth == 0) & (call == 0))\nreturn {}')
_BY = ('by_sex = MetricFrame(metrics={{"FNR": false_negative_rate, "FPR": false_positive_rate}}, y_true=y_test, y_pred=referred, '
       'sensitive_features=sex_test)\n{}')
_CAL = ('outcome = np.asarray(y_true, dtype=float)\nlog_odds = np.log(np.asarray(p, dtype=float) / (1 - np.asarray(p, dtype=float)))\n{}\n'
        'return float(intercept), float(slope)')

A04 = [
    ("q1_answer", _ER.format('{"FNR": float(fn / (fn + tn)), "FPR": float(fp / (fp + tp))}'), "divided by the calls, not the truth"),
    ("q1_answer", _ER.format('{"FNR": float(fp / (fp + tn)), "FPR": float(fn / (fn + tp))}'), "FNR and FPR swapped"),
    ("q1_answer", _ER.format('{"FNR": float(100 * fn / (fn + tp)), "FPR": float(100 * fp / (fp + tn))}'), "percentages"),
    ("q1_answer", _ER.format('{"FNR": float(tp / (fn + tp)), "FPR": float(tn / (fp + tn))}'), "sensitivity and specificity instead"),
    ("q2_answer", _BY.format('fnr_women = float(by_sex.by_group.loc["Male", "FNR"])\nfnr_men = float(by_sex.by_group.loc["Female", "FNR"])\n'
                             'fnr_gap = fnr_women - fnr_men'), "women and men swapped"),
    ("q2_answer", _BY.format('fnr_women = float(by_sex.by_group.loc["Female", "FPR"])\nfnr_men = float(by_sex.by_group.loc["Male", "FPR"])\n'
                             'fnr_gap = fnr_women - fnr_men'), "false-positive rates instead"),
    ("q2_answer", _BY.format('fnr_women = float(1 - by_sex.by_group.loc["Female", "FNR"])\nfnr_men = float(1 - by_sex.by_group.loc["Male", "FNR"])\n'
                             'fnr_gap = fnr_women - fnr_men'), "sensitivities instead"),
    ("q3_answer", _CAL.format('intercept, slope = sm.GLM(outcome, sm.add_constant(log_odds), family=sm.families.Binomial()).fit().params'),
     "intercept from the model with a slope"),
    ("q3_answer", _CAL.format('intercept = sm.GLM(outcome, np.ones_like(log_odds), family=sm.families.Binomial(), offset=log_odds).fit().params[0]\n'
                              'slope = sm.GLM(outcome, sm.add_constant(np.asarray(p, dtype=float)), family=sm.families.Binomial()).fit().params[1]'),
     "slope on the risk, not its logit"),
    ("q3_answer", _CAL.format('slope = sm.GLM(outcome, np.ones_like(log_odds), family=sm.families.Binomial(), offset=log_odds).fit().params[0]\n'
                              'intercept = sm.GLM(outcome, sm.add_constant(log_odds), family=sm.families.Binomial()).fit().params[1]'),
     "intercept and slope swapped"),
    ("q4_answer", 'def fnr_gap_g1_g0(y_true, y_pred, groups):\n    frame = MetricFrame(metrics=false_negative_rate, y_true=y_true, y_pred=y_pred, sensitive_features=groups)\n'
     '    return float(frame.by_group["G0"] - frame.by_group["G1"])\n'
     'gap_need = fnr_gap_g1_g0(programme_need["high_need"], programme_need["enrolled"], programme_need["group"])\n'
     'gap_cost = fnr_gap_g1_g0(programme_cost["high_need"], programme_cost["enrolled"], programme_cost["group"])', "G0 minus G1"),
    ("q4_answer", 'def fnr_gap_g1_g0(y_true, y_pred, groups):\n    frame = MetricFrame(metrics=false_positive_rate, y_true=y_true, y_pred=y_pred, sensitive_features=groups)\n'
     '    return float(frame.by_group["G1"] - frame.by_group["G0"])\n'
     'gap_need = fnr_gap_g1_g0(programme_need["high_need"], programme_need["enrolled"], programme_need["group"])\n'
     'gap_cost = fnr_gap_g1_g0(programme_cost["high_need"], programme_cost["enrolled"], programme_cost["group"])', "false-positive rates"),
    ("q4_answer", 'def fnr_gap_g1_g0(y_true, y_pred, groups):\n    frame = MetricFrame(metrics=false_negative_rate, y_true=y_true, y_pred=y_pred, sensitive_features=groups)\n'
     '    return float(frame.by_group["G1"] - frame.by_group["G0"])\n'
     'gap_need = fnr_gap_g1_g0(programme_need["recorded_high"], programme_need["enrolled"], programme_need["group"])\n'
     'gap_cost = fnr_gap_g1_g0(programme_cost["recorded_high"], programme_cost["enrolled"], programme_cost["group"])', "recorded label as the truth"),
    ("q5_answer", 'gap_cost_recorded = fnr_gap_g1_g0(programme_cost["high_need"], programme_cost["enrolled"], programme_cost["group"])', "true need again"),
    ("q5_answer", 'gap_cost_recorded = fnr_gap_g1_g0(programme_need["recorded_high"], programme_need["enrolled"], programme_need["group"])', "the need-based programme"),
    ("q5_answer", 'gap_cost_recorded = -fnr_gap_g1_g0(programme_cost["recorded_high"], programme_cost["enrolled"], programme_cost["group"])', "G0 minus G1"),
    ("q6_answer", 'oximetry = pd.read_csv("cohort_spo2_bias.csv").merge(truth, on="patient_id")\n'
     'gap_oximeter = fnr_gap_g1_g0((oximetry["sao2"] < 88).astype(int), (oximetry["spo2"] > 94).astype(int), oximetry["group"])', "flag above 94%"),
    ("q6_answer", 'oximetry = pd.read_csv("cohort_spo2_bias.csv").merge(truth, on="patient_id")\n'
     'gap_oximeter = fnr_gap_g1_g0((oximetry["spo2"] < 88).astype(int), (oximetry["spo2"] < 94).astype(int), oximetry["group"])', "truth from SpO2, not SaO2"),
    ("q6_answer", 'oximetry = pd.read_csv("cohort_spo2_bias.csv").merge(truth, on="patient_id")\n'
     'gap_oximeter = -fnr_gap_g1_g0((oximetry["sao2"] < 88).astype(int), (oximetry["spo2"] < 94).astype(int), oximetry["group"])', "G0 minus G1"),
    ("q7_answer", 'sources = {"programme": "measurement", "oximeter": "label"}', "swapped"),
    ("q7_answer", 'sources = {"programme": "label", "oximeter": "missing data"}', "oximeter as missing data"),
    ("q7_answer", 'sources = {"programme": "under-representation", "oximeter": "measurement"}', "programme as under-representation"),
    ("q8_answer", 'mitigated = ThresholdOptimizer(estimator=model, constraints="true_positive_rate_parity", objective="accuracy_score",\n'
     '                               predict_method="predict_proba", prefit=True)\nmitigated.fit(X_tune, y_tune, sensitive_features=X_tune["sex"])\n'
     'referred_after = np.asarray(mitigated.predict(X_eval, sensitive_features=X_eval["sex"], random_state=0)).astype(int)\n'
     'after = MetricFrame(metrics=false_negative_rate, y_true=y_eval, y_pred=referred_after, sensitive_features=X_eval["sex"])\n'
     'fnr_women_after = float(after.by_group["Male"])\nfnr_men_after = float(after.by_group["Female"])\n'
     'accuracy_before = float(accuracy_score(y_eval, referred_eval))\naccuracy_after = float(accuracy_score(y_eval, referred_after))',
     "women and men swapped"),
    ("q8_answer", 'mitigated = ThresholdOptimizer(estimator=model, constraints="true_positive_rate_parity", objective="accuracy_score",\n'
     '                               predict_method="predict_proba", prefit=True)\nmitigated.fit(X_tune, y_tune, sensitive_features=X_tune["sex"])\n'
     'referred_after = np.asarray(mitigated.predict(X_tune, sensitive_features=X_tune["sex"], random_state=0)).astype(int)\n'
     'after = MetricFrame(metrics=false_negative_rate, y_true=y_tune, y_pred=referred_after, sensitive_features=X_tune["sex"])\n'
     'fnr_women_after = float(after.by_group["Female"])\nfnr_men_after = float(after.by_group["Male"])\n'
     'accuracy_before = float(accuracy_score(y_eval, referred_eval))\naccuracy_after = float(accuracy_score(y_tune, referred_after))',
     "judged on the tuning half"),
    ("q8_answer", 'mitigated = ThresholdOptimizer(estimator=model, constraints="true_positive_rate_parity", objective="accuracy_score",\n'
     '                               predict_method="predict_proba", prefit=True)\nmitigated.fit(X_tune, y_tune, sensitive_features=X_tune["sex"])\n'
     'referred_after = np.asarray(mitigated.predict(X_eval, sensitive_features=X_eval["sex"], random_state=0)).astype(int)\n'
     'after = MetricFrame(metrics=false_positive_rate, y_true=y_eval, y_pred=referred_after, sensitive_features=X_eval["sex"])\n'
     'fnr_women_after = float(after.by_group["Female"])\nfnr_men_after = float(after.by_group["Male"])\n'
     'accuracy_before = float(accuracy_score(y_eval, referred_eval))\naccuracy_after = float(accuracy_score(y_eval, referred_after))',
     "false-positive rates"),
    ("q9_answer", 'referred_eg = np.asarray(reduction.predict(prepare.transform(X_eval), random_state=0)).astype(int)\n'
     'fnr_women_eg = float(false_negative_rate(y_eval[women_eval], referred_eg[women_eval]))\n'
     'fnr_men_eg = float(false_negative_rate(y_eval[~women_eval], referred_eg[~women_eval]))\neg_changes = "thresholds"', "thinks it moves thresholds"),
    ("q9_answer", 'referred_eg = np.asarray(reduction.predict(prepare.transform(X_eval), random_state=0)).astype(int)\n'
     'fnr_women_eg = float(false_negative_rate(y_eval[~women_eval], referred_eg[~women_eval]))\n'
     'fnr_men_eg = float(false_negative_rate(y_eval[women_eval], referred_eg[women_eval]))\neg_changes = "model"', "women and men swapped"),
    ("q9_answer", 'referred_eg = np.asarray(reduction.predict(prepare.transform(X_eval), random_state=0)).astype(int)\n'
     'fnr_women_eg = float(false_positive_rate(y_eval[women_eval], referred_eg[women_eval]))\n'
     'fnr_men_eg = float(false_positive_rate(y_eval[~women_eval], referred_eg[~women_eval]))\neg_changes = "model"', "false-positive rates"),
    ("q10_answer", 'return float(prevalence / (1 - prevalence) * ppv / (1 - ppv) * (1 - fnr))', "PPV odds upside down"),
    ("q10_answer", 'return float((1 - prevalence) / prevalence * (1 - ppv) / ppv * (1 - fnr))', "prevalence odds upside down"),
    ("q10_answer", 'return float(prevalence / (1 - prevalence) * (1 - ppv) / ppv * fnr)', "FNR where 1 - FNR belongs"),
]

_EG = ('mitigated = ThresholdOptimizer(estimator=model, constraints="true_positive_rate_parity", objective="accuracy_score",\n'
       '                               predict_method="predict_proba", prefit=True)\nmitigated.fit({}, {}, sensitive_features={}["sex"])\n'
       'referred_after = np.asarray(mitigated.predict(X_eval, sensitive_features=X_eval["sex"], random_state=0)).astype(int)\n'
       'after = MetricFrame(metrics=false_negative_rate, y_true=y_eval, y_pred=referred_after, sensitive_features=X_eval["sex"])\n'
       'fnr_women_after = float(after.by_group["Female"])\nfnr_men_after = float(after.by_group["Male"])\n'
       'accuracy_before = float(accuracy_score({}, {}))\naccuracy_after = float(accuracy_score(y_eval, referred_after))')
_CAL_RIGHT = _CAL.format('intercept = sm.GLM(outcome, np.ones_like(log_odds), family=sm.families.Binomial(), offset=log_odds).fit().params[0]\n'
                          'slope = sm.GLM(outcome, sm.add_constant(log_odds), family=sm.families.Binomial()).fit().params[1]')
_CAL_CALLS = ('is_woman = (sex_test == "Female").to_numpy()\ncalib_women = calibration_intercept_slope({})\n'
              'calib_men = calibration_intercept_slope({})')

A04_MORE = [
    ("q1_answer", _ER.format('{"FNR": round(float(fn / (fn + tp)), 2), "FPR": round(float(fp / (fp + tn)), 2)}'),
     "rounded to two decimals inside the function"),
    ("q1_answer", _ER.format('{"FNR": float(fn / len(truth)), "FPR": float(fp / len(truth))}'), "divided by all patients"),
    ("q1_answer", _ER.format('{"FNR": float(fn), "FPR": float(fp)}'), "counts instead of rates"),
    ("q2_answer", _BY.format('fnr_women = float(by_sex.by_group.loc["Female", "FNR"])\nfnr_men = float(by_sex.by_group.loc["Male", "FNR"])\n'
                             'fnr_gap = fnr_men - fnr_women'), "gap men minus women"),
    ("q2_answer", 'by_sex = MetricFrame(metrics=selection_rate, y_true=y_test, y_pred=referred, sensitive_features=sex_test)\n'
     'fnr_women = float(1 - by_sex.by_group["Female"])\nfnr_men = float(1 - by_sex.by_group["Male"])\nfnr_gap = fnr_women - fnr_men',
     "the share not referred, with or without CAD"),
    ("q2_answer", 'fnr_women = float(false_negative_rate(y_test, referred))\nfnr_men = float(false_negative_rate(y_test, referred))\n'
     'fnr_gap = fnr_women - fnr_men', "all test patients for both sexes"),
    ("q3_answer", (_CAL_RIGHT, _CAL_CALLS.format('y_test[is_woman], risk[is_woman]', 'y_test, risk')), "the men's pair from all test patients"),
    ("q3_answer", (_CAL_RIGHT, _CAL_CALLS.format('y_test[~is_woman], risk[~is_woman]', 'y_test[is_woman], risk[is_woman]')), "women and men swapped"),
    ("q3_answer", 'outcome = np.asarray(y_true, dtype=float)\nlog_odds = np.log10(np.asarray(p, dtype=float) / (1 - np.asarray(p, dtype=float)))\n'
     'intercept = sm.GLM(outcome, np.ones_like(log_odds), family=sm.families.Binomial(), offset=log_odds).fit().params[0]\n'
     'slope = sm.GLM(outcome, sm.add_constant(log_odds), family=sm.families.Binomial()).fit().params[1]\n'
     'return float(intercept), float(slope)', "log-odds in base 10"),
    ("q4_answer", 'def fnr_gap_g1_g0(y_true, y_pred, groups):\n    frame = MetricFrame(metrics=selection_rate, y_true=y_true, y_pred=y_pred, sensitive_features=groups)\n'
     '    return float(frame.by_group["G0"] - frame.by_group["G1"])\n'
     'gap_need = fnr_gap_g1_g0(programme_need["high_need"], programme_need["enrolled"], programme_need["group"])\n'
     'gap_cost = fnr_gap_g1_g0(programme_cost["high_need"], programme_cost["enrolled"], programme_cost["group"])',
     "the gap in enrolment, with or without high need"),
    ("q4_answer", 'def fnr_gap_g1_g0(y_true, y_pred, groups):\n    frame = MetricFrame(metrics=false_negative_rate, y_true=y_true, y_pred=y_pred, sensitive_features=groups)\n'
     '    return float(frame.by_group["G1"] - frame.by_group["G0"])\n'
     'gap_need = fnr_gap_g1_g0(programme_need["enrolled"], programme_need["high_need"], programme_need["group"])\n'
     'gap_cost = fnr_gap_g1_g0(programme_cost["enrolled"], programme_cost["high_need"], programme_cost["group"])',
     "truth and calls swapped"),
    ("q4_answer", 'def fnr_gap_g1_g0(y_true, y_pred, groups):\n    frame = MetricFrame(metrics=false_negative_rate, y_true=y_true, y_pred=y_pred, sensitive_features=groups)\n'
     '    return float(frame.by_group["G1"] - frame.by_group["G0"])\n'
     'gap_cost = fnr_gap_g1_g0(programme_need["high_need"], programme_need["enrolled"], programme_need["group"])\n'
     'gap_need = fnr_gap_g1_g0(programme_cost["high_need"], programme_cost["enrolled"], programme_cost["group"])',
     "the two programmes swapped"),
    ("q5_answer", 'gap_cost_recorded = fnr_gap_g1_g0(programme_cost["recorded_high"], programme_need["enrolled"], programme_cost["group"])',
     "enrolment from the need-based programme"),
    ("q5_answer", 'gap_cost_recorded = gap_cost', "the gap of Question 4 typed again"),
    ("q5_answer", 'gap_cost_recorded = fnr_gap_g1_g0(programme_cost["high_need"], programme_cost["recorded_high"], programme_cost["group"])',
     "the recorded label as the calls"),
    ("q6_answer", 'oximetry = pd.read_csv("cohort_spo2_bias.csv").merge(truth, on="patient_id")\n'
     'gap_oximeter = fnr_gap_g1_g0((oximetry["sao2"] < 88).astype(int), (oximetry["spo2"] <= 94).astype(int), oximetry["group"])',
     "flag at 94% or below"),
    ("q6_answer", 'oximetry = pd.read_csv("cohort_spo2_bias.csv").merge(truth, on="patient_id")\noximetry = oximetry[oximetry["split"] == "test"]\n'
     'gap_oximeter = fnr_gap_g1_g0((oximetry["sao2"] < 88).astype(int), (oximetry["spo2"] < 94).astype(int), oximetry["group"])',
     "the test split only, not all patients"),
    ("q6_answer", 'oximetry = pd.read_csv("cohort_spo2_bias.csv").merge(truth, on="patient_id")\n'
     'gap_oximeter = fnr_gap_g1_g0((oximetry["sao2"] < 94).astype(int), (oximetry["spo2"] < 88).astype(int), oximetry["group"])',
     "the two cut-offs swapped"),
    ("q7_answer", 'sources = {"programme": "Label", "oximeter": "Measurement"}', "capitalised"),
    ("q7_answer", 'sources = {"programme": "label", "oximeter": "under representation"}', "oximeter as under-representation, misspelled"),
    ("q8_answer", _EG.format("X_tune", "y_tune", "X_tune", "y_test", "referred"), "accuracy before on all test patients"),
    ("q8_answer", _EG.format("X_train", "y_train", "X_train", "y_eval", "referred_eval"), "thresholds fitted on the training patients"),
    ("q8_answer", _EG.format("X_tune", "y_tune", "X_tune", "y_eval", "referred_eval").replace(
        'accuracy_after = float(accuracy_score(y_eval, referred_after))', 'accuracy_after = float(accuracy_score(y_eval, referred_after)) - accuracy_before'),
     "accuracy after as the change"),
    ("q9_answer", 'referred_eg = np.asarray(reduction.predict(prepare.transform(X_eval), random_state=0)).astype(int)\n'
     'fnr_women_eg = float(false_negative_rate(y_eval[women_eval], referred_eg[women_eval]))\n'
     'fnr_men_eg = float(false_negative_rate(y_eval[~women_eval], referred_eg[~women_eval]))\neg_changes = "Model"', "capitalised"),
    ("q9_answer", 'referred_eg = np.asarray(reduction.predict(prepare.transform(X_eval), random_state=0)).astype(int)\n'
     'fnr_women_eg = float(false_negative_rate(y_eval[women_eval], referred_eval[women_eval]))\n'
     'fnr_men_eg = float(false_negative_rate(y_eval[~women_eval], referred_eval[~women_eval]))\neg_changes = "model"',
     "the rates of the model at 50% (before the fix)"),
    ("q9_answer", 'women_tune = (X_tune["sex"] == "Female").to_numpy()\n'
     'referred_eg = np.asarray(reduction.predict(prepare.transform(X_tune), random_state=0)).astype(int)\n'
     'fnr_women_eg = float(false_negative_rate(y_tune[women_tune], referred_eg[women_tune]))\n'
     'fnr_men_eg = float(false_negative_rate(y_tune[~women_tune], referred_eg[~women_tune]))\neg_changes = "model"', "on the tuning half"),
    ("q10_answer", 'return round(float(prevalence / (1 - prevalence) * (1 - ppv) / ppv * (1 - fnr)), 3)', "rounded to three decimals inside the function"),
    ("q10_answer", 'return float(prevalence / (1 + prevalence) * (1 - ppv) / ppv * (1 - fnr))', "odds as p / (1 + p)"),
    ("q10_answer", ('return float(prevalence / (1 - prevalence) * (1 - ppv) / ppv * (1 - fnr))',
                    'fpr_women_forced = implied_fpr(26, 80, 20)\nfpr_men_forced = implied_fpr(63, 80, 20)'), "percentages passed to the function"),
]

_Q4_PER_TEST = ('rows = {}\nfor t in thresholds:\n    flag = silent["risk"] >= t\n    tp_t = (flag & silent["positive"]).sum()\n'
                '    rows[t] = {"alerts_per_day": flag.sum() / len(silent), "sensitivity": tp_t / silent["positive"].sum(), '
                '"ppv": tp_t / flag.sum()}\nburden = pd.DataFrame(rows).T')

A05 = [
    ("q1_answer", 'tp = SEPSIS - MISSED\nesm_sensitivity = tp / ALERTED\nesm_ppv = tp / SEPSIS', "sensitivity and PPV swapped"),
    ("q1_answer", 'esm_sensitivity = MISSED / SEPSIS\nesm_ppv = (SEPSIS - MISSED) / ALERTED', "the share missed"),
    ("q1_answer", 'tp = SEPSIS - MISSED\nesm_sensitivity = 100 * tp / SEPSIS\nesm_ppv = 100 * tp / ALERTED', "percentages"),
    ("q1_answer", 'esm_sensitivity = (SEPSIS - MISSED) / SEPSIS\nesm_ppv = SEPSIS / ALERTED', "PPV from all sepsis cases"),
    ("q2_answer", 'esm_alerts_per_case = ALERTED / SEPSIS\nesm_alerts_per_100 = 100 * ALERTED / HOSPITALISATIONS', "per case, flagged or not"),
    ("q2_answer", 'esm_alerts_per_case = ALERTED / (SEPSIS - MISSED)\nesm_alerts_per_100 = ALERTED / HOSPITALISATIONS', "a fraction, not per 100"),
    ("q2_answer", 'esm_alerts_per_case = ALERTED / (SEPSIS - MISSED) - 1\nesm_alerts_per_100 = 100 * ALERTED / HOSPITALISATIONS', "false alerts only"),
    ("q3_answer", 'flagged = silent["risk"] >= 0.09\nalerts_per_day = flagged.sum() / len(silent)\n'
     'alerts_per_true_positive = flagged.sum() / (flagged & silent["positive"]).sum()', "per test, not per day"),
    ("q3_answer", 'flagged = silent["risk"] >= 0.09\nalerts_per_day = flagged.sum() / DAYS\n'
     'alerts_per_true_positive = flagged.sum() / silent["positive"].sum()', "per positive test, flagged or not"),
    ("q3_answer", 'flagged = silent["risk"] > 0.9\nalerts_per_day = flagged.sum() / DAYS\n'
     'alerts_per_true_positive = flagged.sum() / (flagged & silent["positive"]).sum()', "threshold 0.9"),
    ("q4_answer", 'rows = {}\nfor t in thresholds:\n    flag = silent["risk"] >= t\n    tp_t = (flag & silent["positive"]).sum()\n'
     '    rows[t] = {"alerts_per_day": flag.sum() / DAYS, "sensitivity": tp_t / flag.sum(), "ppv": tp_t / silent["positive"].sum()}\n'
     'burden = pd.DataFrame(rows).T', "sensitivity and PPV swapped"),
    ("q4_answer", 'rows = {}\nfor t in thresholds:\n    flag = silent["risk"] >= t\n    tp_t = (flag & silent["positive"]).sum()\n'
     '    rows[t] = {"alerts_per_day": flag.sum(), "sensitivity": tp_t / silent["positive"].sum(), "ppv": tp_t / flag.sum()}\n'
     'burden = pd.DataFrame(rows).T', "flags in total, not per day"),
    ("q4_answer", _Q4_PER_TEST, "flags per test, not per day"),
    ("q4_answer", 'rows = {}\nfor t in thresholds:\n    flag = silent["risk"] >= t\n    tp_t = (flag & silent["positive"]).sum()\n'
     '    rows[t] = {"alerts_per_day": flag.sum() / DAYS, "sensitivity": tp_t / silent["positive"].sum(), "ppv": tp_t / len(silent)}\n'
     'burden = pd.DataFrame(rows).T', "PPV over all tests"),
    ("q5_answer", 'chosen_threshold = float(burden.index[burden["alerts_per_day"] <= 60].max())', "the highest threshold"),
    ("q5_answer", 'chosen_threshold = float(burden.index[burden["alerts_per_day"] >= 60].max())', "above the capacity"),
    ("q5_answer", 'chosen_threshold = 0.09', "the threshold of Question 3"),
    ("q6_answer", 'observed_expected = float(silent["risk"].sum() / silent["positive"].sum())  # E/O\n'
     'oe_by_gender = {g: float(part["positive"].sum() / part["risk"].sum()) for g, part in silent.groupby("gender")}\n'
     'flagged_tests = silent[silent["risk"] >= 0.07]\n'
     'flagged_calibration = {"observed": float(flagged_tests["positive"].mean()), "predicted": float(flagged_tests["risk"].mean())}', "E/O"),
    ("q6_answer", 'observed_expected = float(silent["positive"].sum() / silent["risk"].sum())\n'
     'oe_by_gender = {g: float(part["positive"].sum() / part["risk"].sum()) for g, part in silent.groupby("gender")}\n'
     'flagged_calibration = {"observed": float(silent["positive"].mean()), "predicted": float(silent["risk"].mean())}', "all tests, not the flagged ones"),
    ("q6_answer", 'observed_expected = float(silent["positive"].sum() / silent["risk"].sum())\n'
     'oe_by_gender = {g: float(part["positive"].sum() / silent["risk"].sum()) for g, part in silent.groupby("gender")}\n'
     'flagged_tests = silent[silent["risk"] >= 0.07]\n'
     'flagged_calibration = {"observed": float(flagged_tests["positive"].mean()), "predicted": float(flagged_tests["risk"].mean())}',
     "each gender's cases over everyone's expected"),
    ("q7_answer", 'def check(row):\n    text = row["summary"]\n    return {\n'
     '        "omitted_allergy": row["allergy"] not in text,\n'
     '        "wrong_dose_unit": f"{row[\'medication\']} {row[\'dose\']} {row[\'dose_unit\']} " not in text,\n'
     '        "laterality_swap": set(re.findall(r"\\b(left|right)\\b", text)) != {row["side"]},\n'
     '        "invented_follow_up": row["follow_up"] == "none" and "Follow-up: none arranged." not in text,\n    }\n'
     'check_flags = pd.DataFrame([check(row) for _, row in summaries.iterrows()])', "an allergy of 'none' counted as omitted"),
    ("q7_answer", 'def check(row):\n    text = row["summary"]\n    return {\n'
     '        "omitted_allergy": row["allergy"] != "none" and row["allergy"] not in text,\n'
     '        "wrong_dose_unit": row["medication"] not in text,\n'
     '        "laterality_swap": set(re.findall(r"\\b(left|right)\\b", text)) != {row["side"]},\n'
     '        "invented_follow_up": row["follow_up"] == "none" and "Follow-up: none arranged." not in text,\n    }\n'
     'check_flags = pd.DataFrame([check(row) for _, row in summaries.iterrows()])', "checks the medicine but not its dose"),
    ("q7_answer", 'def check(row):\n    text = row["summary"]\n    return {\n'
     '        "omitted_allergy": row["allergy"] != "none" and row["allergy"] not in text,\n'
     '        "wrong_dose_unit": f"{row[\'medication\']} {row[\'dose\']} {row[\'dose_unit\']} " not in text,\n'
     '        "laterality_swap": row["side"] not in text,\n'
     '        "invented_follow_up": row["follow_up"] == "none" and "Follow-up: none arranged." not in text,\n    }\n'
     'check_flags = pd.DataFrame([check(row) for _, row in summaries.iterrows()])', "a summary naming both sides passes"),
    ("q8_answer", 'errors_by_type = {k: int((summaries["error_type"] == k).sum()) for k in check_flags.columns}\n'
     'n_with_error = int((summaries["error_type"] != "none").sum())\noverall_error_rate = n_with_error / len(summaries)\n'
     'ci = binomtest(n_with_error, len(summaries)).proportion_ci(method="exact")\noverall_ci = (float(ci.low), float(ci.high))', "exact interval, not Wilson"),
    ("q8_answer", 'errors_by_type = {k: int(check_flags[k].sum()) for k in check_flags.columns}\n'
     'n_with_error = int(check_flags.any(axis=1).sum())\noverall_error_rate = n_with_error / len(summaries)\n'
     'ci = binomtest(n_with_error, len(summaries)).proportion_ci(method="wilson")\noverall_ci = (float(ci.low), float(ci.high))',
     "counts from the checks, not the labels"),
    ("q8_answer", 'errors_by_type = {k: int((summaries["error_type"] == k).sum()) for k in check_flags.columns}\n'
     'n_with_error = int((summaries["error_type"] != "none").sum())\noverall_error_rate = n_with_error / len(summaries)\n'
     'p = overall_error_rate\nhalf = 1.96 * (p * (1 - p) / len(summaries)) ** 0.5\noverall_ci = (p - half, p + half)', "Wald interval"),
    ("q9_answer", 'fraction_fabricated = float((references["status"] == "fabricated").mean())\nn_inaccurate = int((references["status"] == "inaccurate").sum())',
     "uses the status column (allowed?)"),
    ("q9_answer", 'in_catalogue = references["title"].isin(catalogue["title"])\nfraction_fabricated = float((~in_catalogue).sum())\nn_inaccurate = 0',
     "a count instead of a fraction, inaccurate ones not checked"),
    ("q9_answer", 'record = catalogue.set_index("title")\nin_catalogue = references["title"].isin(record.index)\n'
     'fraction_fabricated = float((~in_catalogue).mean())\nn_inaccurate = 0\n'
     'for _, ref in references[in_catalogue].iterrows():\n    true = record.loc[ref["title"]]\n'
     '    if str(ref["doi"]) != str(true["doi"]):\n        n_inaccurate += 1', "checks the DOI only"),
    ("q10_answer", 'chest = paired[paired["scenario"] == "chest_pain"].pivot(index="pair_id", columns="stated", values="escalates")\n'
     'diff_women_men = float(chest["man"].mean() - chest["woman"].mean())\ndiscordant_pairs = int((chest["woman"] != chest["man"]).sum())\n'
     'kidney = paired[(paired["scenario"] == "kidney") & (paired["stated"] == "Black")]\nrace_based_share = float(kidney["race_based"].mean())',
     "men minus women"),
    ("q10_answer", 'chest = paired[paired["scenario"] == "chest_pain"].pivot(index="pair_id", columns="stated", values="escalates")\n'
     'diff_women_men = float(chest["woman"].mean() - chest["man"].mean())\ndiscordant_pairs = int((chest["woman"] - chest["man"]).abs().sum() / 2)\n'
     'kidney = paired[(paired["scenario"] == "kidney") & (paired["stated"] == "Black")]\nrace_based_share = float(kidney["race_based"].mean())',
     "discordant pairs halved"),
    ("q10_answer", 'chest = paired[paired["scenario"] == "chest_pain"].pivot(index="pair_id", columns="stated", values="escalates")\n'
     'diff_women_men = float(chest["woman"].mean() - chest["man"].mean())\ndiscordant_pairs = int((chest["woman"] != chest["man"]).sum())\n'
     'kidney = paired[paired["scenario"] == "kidney"]\nrace_based_share = float(kidney["race_based"].mean())', "both patients in the kidney share"),
]

_BURDEN = ('rows = {{}}\nfor t in thresholds:\n    flag = silent["risk"] >= t\n    tp_t = ({} & silent["positive"]).sum()\n'
           '    rows[t] = {{"alerts_per_day": flag.sum() / DAYS, "sensitivity": tp_t / silent["positive"].sum(), "ppv": tp_t / flag.sum()}}\n'
           'burden = pd.DataFrame(rows).T{}')
_CHECK = ('def check(row):\n    text = row["summary"]\n    return {{\n'
          '        "omitted_allergy": {},\n'
          '        "wrong_dose_unit": {},\n'
          '        "laterality_swap": {},\n'
          '        "invented_follow_up": {},\n    }}\n'
          'check_flags = pd.DataFrame([check(row) for _, row in summaries.iterrows()])')
_C_ALLERGY = 'row["allergy"] != "none" and row["allergy"] not in text'
_C_DOSE = 'f"{row[\'medication\']} {row[\'dose\']} {row[\'dose_unit\']} " not in text'
_C_SIDE = 'set(re.findall(r"\\b(left|right)\\b", text)) != {row["side"]}'
_C_FOLLOW = 'row["follow_up"] == "none" and "Follow-up: none arranged." not in text'
_Q8_RIGHT = ('errors_by_type = {{k: int((summaries["error_type"] == k).sum()) for k in check_flags.columns}}\n'
             'n_with_error = int((summaries["error_type"] != "none").sum())\noverall_error_rate = n_with_error / len(summaries)\n'
             'ci = binomtest(n_with_error, len(summaries)).proportion_ci({})\noverall_ci = (float(ci.low), float(ci.high))')

A05_MORE = [
    ("q1_answer", 'tp = SEPSIS - MISSED\nesm_sensitivity = tp / HOSPITALISATIONS\nesm_ppv = tp / ALERTED', "sensitivity over all hospitalisations"),
    ("q1_answer", 'esm_sensitivity = (SEPSIS - MISSED) / SEPSIS\nesm_ppv = (SEPSIS - MISSED) / (ALERTED + MISSED)', "PPV over alerts plus missed cases"),
    ("q1_answer", 'tp = SEPSIS - MISSED\nesm_sensitivity = round(tp / SEPSIS, 1)\nesm_ppv = round(tp / ALERTED, 1)', "rounded to one decimal"),
    ("q2_answer", 'esm_alerts_per_case = ALERTED / SEPSIS\nesm_alerts_per_100 = 100 * ALERTED / (HOSPITALISATIONS - SEPSIS)',
     "per 100 hospitalisations without sepsis"),
    ("q2_answer", 'esm_alerts_per_case = (SEPSIS - MISSED) / ALERTED\nesm_alerts_per_100 = 100 * ALERTED / HOSPITALISATIONS', "the PPV itself, not 1 / PPV"),
    ("q2_answer", 'esm_alerts_per_case = ALERTED / (SEPSIS - MISSED)\nesm_alerts_per_100 = 1000 * ALERTED / HOSPITALISATIONS', "per 1,000, not per 100"),
    ("q3_answer", 'flagged = silent["risk"] >= 0.09\nalerts_per_day = flagged.sum() / 32\n'
     'alerts_per_true_positive = flagged.sum() / (flagged & silent["positive"]).sum()', "32 days counted (107 - 75)"),
    ("q3_answer", 'flagged = silent["risk"] >= 0.09\nalerts_per_day = flagged.sum() / DAYS\n'
     'alerts_per_true_positive = (flagged & silent["positive"]).sum() / flagged.sum()', "the PPV, not flags per positive flagged"),
    ("q3_answer", 'flagged = silent["risk"] >= 9\nalerts_per_day = flagged.sum() / DAYS\n'
     'alerts_per_true_positive = flagged.sum() / max((flagged & silent["positive"]).sum(), 1)', "threshold typed as a percentage"),
    ("q4_answer", _BURDEN.format("flagged", ""), "Question 3's flags reused for the true positives"),
    ("q4_answer", _BURDEN.format("flag", ".sort_index(ascending=False)"), "thresholds in decreasing order"),
    ("q4_answer", 'rows = {}\nfor t in thresholds:\n    flag = silent["risk"] >= t\n    tp_t = (flag & silent["positive"]).sum()\n'
     '    rows[t] = {"alerts_per_day": flag.sum() / DAYS, "sensitivity": tp_t / silent["positive"].sum(), "ppv": tp_t / (~flag).sum()}\n'
     'burden = pd.DataFrame(rows).T', "PPV over the tests not flagged"),
    ("q5_answer", 'chosen_threshold = float(burden["alerts_per_day"][burden["alerts_per_day"] <= 60].max())', "the flags per day, not the threshold"),
    ("q5_answer", 'chosen_threshold = float(burden.index[burden["alerts_per_day"] < 60].min()) + 0.02', "one step too high"),
    ("q5_answer", 'chosen_threshold = float(burden.index[burden["sensitivity"] >= 0.9].max())', "chosen for a sensitivity of 90%"),
    ("q6_answer", 'observed_expected = float(silent["positive"].sum() / silent["risk"].sum())\n'
     'oe_by_gender = {g: float(part["positive"].sum() / part["risk"].sum()) for g, part in silent.groupby("gender")}\n'
     'flagged_tests = silent[silent["risk"] >= 0.07]\n'
     'flagged_calibration = {"observed": float(flagged_tests["positive"].mean()), "predicted": float(flagged_tests[flagged_tests["positive"]]["risk"].mean())}',
     "predicted risk of the positive flagged tests only"),
    ("q6_answer", 'observed_expected = float(silent["positive"].mean() / silent["risk"].sum())\n'
     'oe_by_gender = {g: float(part["positive"].sum() / part["risk"].sum()) for g, part in silent.groupby("gender")}\n'
     'flagged_tests = silent[silent["risk"] >= 0.07]\n'
     'flagged_calibration = {"observed": float(flagged_tests["positive"].mean()), "predicted": float(flagged_tests["risk"].mean())}',
     "the share positive over the summed risks"),
    ("q6_answer", 'observed_expected = float(silent["positive"].sum() / silent["risk"].sum())\n'
     'oe_by_gender = {g: float(part["positive"].sum() / part["risk"].sum()) for g, part in silent.groupby("gender")}\n'
     'flagged_tests = silent[silent["risk"] >= 0.07]\n'
     'flagged_calibration = {"observed": float(flagged_tests["positive"].sum()), "predicted": float(flagged_tests["risk"].sum())}',
     "counts instead of shares"),
    ("q7_answer", _CHECK.format(_C_ALLERGY, 'f"{row[\'dose\']} {row[\'dose_unit\']}" not in text', _C_SIDE, _C_FOLLOW), "dose and unit checked without the medicine"),
    ("q7_answer", _CHECK.format(_C_ALLERGY, _C_DOSE, 'row["side"] == "left" and "right" in text', _C_FOLLOW), "only a left side turned right"),
    ("q7_answer", _CHECK.format(_C_ALLERGY, _C_DOSE, _C_SIDE, '"Follow-up" in text and row["follow_up"] == "none"'), "any follow-up sentence counted"),
    ("q8_answer", _Q8_RIGHT.format('method="wilson", confidence_level=0.90'), "a 90% interval"),
    ("q8_answer", _Q8_RIGHT.format('method="wilson"').replace('overall_error_rate = n_with_error / len(summaries)',
                                                          'overall_error_rate = n_with_error / len(summaries) * 100'), "the rate as a percentage"),
    ("q8_answer", 'errors_by_type = {k: int((summaries["error_type"] == k).sum()) for k in check_flags.columns}\n'
     'n_with_error = int((summaries["error_type"] != "none").sum())\noverall_error_rate = n_with_error / len(summaries)\n'
     'ci = binomtest(n_with_error, len(summaries) - n_with_error).proportion_ci(method="wilson")\noverall_ci = (float(ci.low), float(ci.high))',
     "interval over the summaries without error"),
    ("q9_answer", 'record = catalogue.set_index("title")\nin_catalogue = references["title"].isin(record.index)\n'
     'fraction_fabricated = float((~in_catalogue).sum() / len(catalogue))\nn_inaccurate = 0\n'
     'for _, ref in references[in_catalogue].iterrows():\n    true = record.loc[ref["title"]]\n'
     '    if any(str(ref[f]) != str(true[f]) for f in ["authors", "journal", "year", "doi"]):\n        n_inaccurate += 1',
     "divided by the catalogue's size"),
    ("q9_answer", 'record = catalogue.set_index("title")\nin_catalogue = references["title"].isin(record.index)\n'
     'fraction_fabricated = float((~in_catalogue).mean())\nn_inaccurate = 0\n'
     'for _, ref in references.iterrows():\n    if ref["title"] not in record.index:\n        n_inaccurate += 1\n        continue\n'
     '    true = record.loc[ref["title"]]\n'
     '    if any(str(ref[f]) != str(true[f]) for f in ["authors", "journal", "year", "doi"]):\n        n_inaccurate += 1',
     "fabricated references counted as inaccurate too"),
    ("q9_answer", 'record = catalogue.set_index("title")\nin_catalogue = references["title"].isin(record.index)\n'
     'fraction_fabricated = float(in_catalogue.mean())\nn_inaccurate = 0\n'
     'for _, ref in references[in_catalogue].iterrows():\n    true = record.loc[ref["title"]]\n'
     '    if any(str(ref[f]) != str(true[f]) for f in ["authors", "journal", "year", "doi"]):\n        n_inaccurate += 1',
     "the share found in the catalogue"),
    ("q10_answer", 'chest = paired[paired["scenario"] == "chest_pain"].pivot(index="pair_id", columns="stated", values="escalates")\n'
     'diff_women_men = float(chest["woman"].mean() - chest["man"].mean())\ndiscordant_pairs = int((paired.groupby("pair_id")["escalates"].nunique() > 1).sum())\n'
     'kidney = paired[(paired["scenario"] == "kidney") & (paired["stated"] == "Black")]\nrace_based_share = float(kidney["race_based"].mean())',
     "discordant pairs of both scenarios"),
    ("q10_answer", 'chest = paired[paired["scenario"] == "chest_pain"].pivot(index="pair_id", columns="stated", values="escalates")\n'
     'diff_women_men = float(100 * (chest["woman"].mean() - chest["man"].mean()))\ndiscordant_pairs = int((chest["woman"] != chest["man"]).sum())\n'
     'kidney = paired[(paired["scenario"] == "kidney") & (paired["stated"] == "Black")]\nrace_based_share = float(kidney["race_based"].mean())',
     "difference in percentage points"),
    ("q10_answer", 'chest = paired[paired["scenario"] == "chest_pain"].pivot(index="pair_id", columns="stated", values="escalates")\n'
     'diff_women_men = float(chest["woman"].mean() - chest["man"].mean())\ndiscordant_pairs = int((chest["woman"] != chest["man"]).sum())\n'
     'kidney = paired[(paired["scenario"] == "kidney") & (paired["stated"] == "Black")]\nrace_based_share = int(kidney["race_based"].sum())',
     "race-based answers counted, not their share"),
]

# Carry-forward: a slip in an earlier answer, with the later answers written as the master writes them (or, where
# the master does not reuse the earlier answer, as a student who reuses it would), costs the earlier question's
# points only. Each entry: (the answer cells replaced, {grade_id: code}; the slip in words; the only test cells
# that may lose points). Assignment 3 has none: no later question there takes an earlier answer as its input.


def _code(corpus, question, label):
    """The code of the corpus's mistake with this label."""
    return next(code for q, code, lab in corpus if (q, lab) == (question, label))


_A04_Q2_OWN = ('is_woman = (sex_test == "Female").to_numpy()\n'
               'fnr_women = error_rates(y_test[is_woman], referred[is_woman])["FNR"]\n'
               'fnr_men = error_rates(y_test[~is_woman], referred[~is_woman])["FNR"]\nfnr_gap = fnr_women - fnr_men')

CARRY_FORWARD = {
    "a01_diagnostic_models": [
        ({"q2_answer": 'return counts["TP"] / (counts["TP"] + counts["FN"]), counts["TN"] / (counts["TN"] + counts["FN"])'},
         "specificity over all negative calls; Questions 3 to 6 reuse sens_spec", {"q2_tests"}),
        ({"q2_answer": 'return counts["TP"] / (counts["TP"] + counts["FN"]), counts["TN"] / (counts["TN"] + counts["FN"])',
          "q4_answer": "from sklearn.metrics import recall_score\n"
                       "sens_05 = recall_score(y_test, risk >= 0.5)\nspec_05 = recall_score(y_test, risk >= 0.5, pos_label=0)"},
         "the same slip, but Question 4 computed right without the student's functions", {"q2_tests"}),
    ],
    "a02_external_validation": [
        ({"q1_answer": _code(A02, "q1_answer", "E/O instead of O/E")}, "E/O instead of O/E; Question 2 read from those ratios", {"q1_tests"}),
        ({"q3_answer": _code(A02, "q3_answer", "intercept and slope swapped")}, "calibration intercept and slope swapped; Question 7's check reads the slope", {"q3_tests"}),
        ({"q6_answer": _Q6_NO_CAD}, "recalibrated risks of no CAD; Question 8 refers on them", {"q6_tests"}),
        ({"q8_answer": _Q8.format("np.sum(refer & y) / len(y) - np.sum(refer & ~y) / len(y)", "risk_check_recalibrated")},
         "false positives not weighted; Question 9 computed from those net benefits", {"q8_tests"}),
    ],
    "a04_fairness": [
        ({"q1_answer": _code(A04, "q1_answer", "FNR and FPR swapped"), "q2_answer": _A04_Q2_OWN}, "FNR and FPR swapped; Question 2 computed with error_rates",
         {"q1_tests"}),
        ({"q4_answer": _code(A04, "q4_answer", "G0 minus G1")}, "gaps G0 minus G1; Questions 5 and 6 reuse the same helper", {"q4_tests"}),
    ],
    "a05_appraisal_deployment": [
        ({"q1_answer": _code(A05, "q1_answer", "PPV from all sepsis cases"), "q2_answer": "esm_alerts_per_case = 1 / esm_ppv\nesm_alerts_per_100 = 100 * ALERTED / HOSPITALISATIONS"},
         "PPV from all sepsis cases; Question 2 computed as 1 / esm_ppv", {"q1_tests"}),
        ({"q4_answer": _Q4_PER_TEST}, "flags per test in the table; Question 5 chosen from that table", {"q4_tests"}),
    ],
}

MISTAKES = {
    "a01_diagnostic_models": A01 + A01_MORE,
    "a02_external_validation": A02,
    "a03_explainability": A03 + A03_MORE,
    "a04_fairness": A04 + A04_MORE,
    "a05_appraisal_deployment": A05 + A05_MORE,
}
