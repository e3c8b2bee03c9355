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
    ("q5_answer", 'ppv_clinic = float(sens_05)  # forgot the prevalence', "prevalence forgotten"),
    ("q5_answer", 'ppv_clinic = 0.1 * spec_05 / (0.1 * spec_05 + 0.9 * (1 - sens_05))', "sensitivity and specificity swapped"),
    ("q5_answer", 'c = confusion_counts(y_test, risk >= 0.5)\nppv_clinic = c["TP"] / (c["TP"] + c["FP"])',
     "the PPV at Cleveland's prevalence"),
    ("q5_answer", 'ppv_clinic = 100 * 0.1 * sens_05 / (0.1 * sens_05 + 0.9 * (1 - spec_05))', "a percentage"),
    ("q5_answer", 'ppv_clinic = 0.9 * spec_05 / (0.9 * spec_05 + 0.1 * (1 - sens_05))', "the NPV"),
    ("q5_answer", 'ppv_clinic = 0.1 * sens_05 / (0.1 * sens_05 + 0.9 * spec_05)', "specificity where 1 - specificity belongs"),
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

MISTAKES = {
    "a01_diagnostic_models": A01,
}
