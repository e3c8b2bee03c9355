"""Question generators for practice: one per learning objective that has a numeric skill.

Each generator takes a seeded ``random.Random`` and a level (1 = easiest) and returns a ``Draft``: the
question, the answer, the common wrong answers (each with the hint it deserves) and a worked solution.
Levels ask for different things, not only different numbers: for predictive values, level 1 gives the
prevalence, level 2 asks for the 2×2 table to be built, level 3 moves the model to a new site's
prevalence, level 4 asks for a threshold to be chosen.

Formulas follow the clinical literature: sensitivity = TP/(TP+FN), specificity = TN/(TN+FP),
PPV = TP/(TP+FP), LR+ = sensitivity/(1 − specificity); net benefit = TP/n − FP/n · pt/(1 − pt)
(Vickers and Elkin 2006); O/E = observed events / sum of predicted risks.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field


@dataclass
class Draft:
    question: str
    answer: float
    solution: str
    wrong: dict[str, tuple[float, str]] = field(default_factory=dict)  # name -> (value, hint)
    tol: float = 0.01            # answers within about one tolerance step are accepted
    proportion: bool = True      # a proportion between 0 and 1 (a percentage is a known wrong form)
    unit: str = "a proportion between 0 and 1, to 2 decimal places"


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _pct(p: float) -> str:
    return f"{100 * p:.0f}%"


def _half_up(x: float) -> int:
    """A count rounded as taught: halves go up (Python's round sends 42.5 to 42)."""
    return math.floor(round(x, 9) + 0.5)


def _count(x: float) -> str:
    """A product of a count and a proportion, shown unrounded, then rounded half up when it is not whole."""
    x = round(x, 9)
    return f"{x:g}" if x == int(x) else f"{x:g} ≈ {_half_up(x)}"


def _band(exact: float, taught: list[float], floor: float, rel: float = 0.03, step: float = 0.1) -> float:
    """A tolerance that accepts the exact answer and the answers reached by rounding as taught.

    ``taught`` holds the answers worked with rounded intermediate steps; ``step`` is the precision the final
    answer is asked to; the band is at least ``floor`` and ``rel`` of the answer.
    """
    return max(floor, rel * abs(exact), max(abs(a - exact) for a in taught) + step / 2)


# -- Module 1 ---------------------------------------------------------------------------------------------

def two_by_two(rng: random.Random, level: int) -> Draft:
    """M1.2: read a 2×2 table: sensitivity, specificity, LR+, post-test probability."""
    tp, fn = rng.randint(40, 90), rng.randint(8, 40)
    fp, tn = rng.randint(10, 60), rng.randint(80, 200)
    sens, spec = tp / (tp + fn), tn / (tn + fp)
    ppv = tp / (tp + fp)
    table = (f"A rapid test is done once on each patient. Of {tp + fn} patients with the disease, it was positive "
             f"in {tp} and negative in {fn}; of {fp + tn} patients without it, it was positive in {fp} and "
             f"negative in {tn}.")
    if level == 1:
        return Draft(f"{table} What is the test's **sensitivity**?", sens,
                     f"Sensitivity = TP / (TP + FN) = {tp} / ({tp} + {fn}) = {sens:.2f}: of 100 patients with the "
                     f"disease, the test is positive in about {100 * sens:.0f}.",
                     {"specificity": (spec, "That is the specificity (the share of patients *without* the disease "
                                            "whose test is negative). Sensitivity looks only at patients *with* it."),
                      "PPV": (ppv, "That is the PPV (the share of positive tests that come from patients with the "
                                   "disease). Sensitivity divides by everyone who has the disease, positive or not.")})
    if level == 2:
        return Draft(f"{table} What is the test's **specificity**?", spec,
                     f"Specificity = TN / (TN + FP) = {tn} / ({tn} + {fp}) = {spec:.2f}: of 100 patients without "
                     f"the disease, the test is rightly negative in about {100 * spec:.0f}.",
                     {"sensitivity": (sens, "That is the sensitivity: sensitivity and specificity are swapped. "
                                            "Specificity looks only at patients *without* the disease."),
                      "false-positive rate": (1 - spec, "That is the false-positive rate, 1 − specificity: "
                                                        "the share of healthy patients whose test is *positive*.")})
    lr = sens / (1 - spec)
    if level == 3:
        taught = [round(sens, d) / (1 - round(spec, d)) for d in (2, 3)]
        return Draft(f"{table} What is the **positive likelihood ratio** (LR+)? (Keep 3 decimals in the "
                     f"intermediate steps.)", lr,
                     f"Sensitivity = {tp}/{tp + fn} = {sens:.3f}; specificity = {tn}/{tn + fp} = {spec:.3f}. "
                     f"LR+ = sensitivity / (1 − specificity) = {sens:.3f} / {1 - spec:.3f} = {lr:.1f}; in counts, "
                     f"({tp}/{tp + fn}) / ({fp}/{fp + tn}) = {lr:.2f}.",
                     {"sens/spec": (sens / spec, "You divided by the specificity; LR+ divides by 1 − specificity "
                                                 "(the false-positive rate)."),
                      "LR-": ((1 - sens) / spec, "That is the negative likelihood ratio, (1 − sensitivity) / "
                                                 "specificity.")},
                     tol=_band(lr, taught, 0.1), proportion=False, unit="a ratio, to 1 decimal place")
    pre = rng.choice([0.05, 0.1, 0.15, 0.2, 0.3])
    post_odds = pre / (1 - pre) * lr
    post = post_odds / (1 + post_odds)
    return Draft(f"{table} Your patient's pre-test probability is {_pct(pre)} and this single test is "
                 f"positive. What is the **post-test probability**?", post,
                 f"LR+ = {sens:.3f} / (1 − {spec:.3f}) = {lr:.2f}. Pre-test odds = {pre:.2f} / {1 - pre:.2f} = "
                 f"{pre / (1 - pre):.3f}; post-test odds = {pre / (1 - pre):.3f} × {lr:.2f} = {post_odds:.3f}; "
                 f"post-test probability = odds / (1 + odds) = {post:.2f}.",
                 {"odds as probability": (min(post_odds, 50.0), "That is the post-test *odds*; turn odds into a "
                                                                "probability with odds / (1 + odds)."),
                  "probability times LR": (pre * lr, "Likelihood ratios multiply *odds*, not probabilities: "
                                                     "convert the pre-test probability to odds first."),
                  "table PPV": (ppv, "That is the PPV of the table, which holds only at the table's own "
                                     "prevalence, not at your patient's pre-test probability.")})


def predictive_value(rng: random.Random, level: int) -> Draft:
    """M1.3: PPV and prevalence: given, from a 2×2 built by hand, at a new site, and a threshold to choose."""
    sens = rng.choice([0.7, 0.75, 0.8, 0.85, 0.9, 0.95])
    spec = rng.choice([0.7, 0.75, 0.8, 0.85, 0.9, 0.95])
    prev = rng.choice([0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4])

    def ppv(se, sp, p):
        return se * p / (se * p + (1 - sp) * (1 - p))

    if level in (1, 2):
        value = ppv(sens, spec, prev)
        wrong = {"sensitivity": (sens, "That is the sensitivity. PPV asks the reverse question: of the patients "
                                       "flagged, how many have the disease? It depends on the prevalence."),
                 "specificity": (spec, "That is the specificity. PPV is the share of *flagged* patients who "
                                       "have the disease."),
                 "prevalence forgotten": (ppv(sens, spec, 0.5), "You treated the disease as if half the patients "
                                                                "had it: use the prevalence given.")}
        if level == 1:
            return Draft(f"A model has a sensitivity of {_pct(sens)} and a specificity of {_pct(spec)}. In the "
                         f"clinic where it is used, {_pct(prev)} of the patients tested have the disease. What is "
                         f"its **PPV** there?", value,
                         f"PPV = sens × p / (sens × p + (1 − spec) × (1 − p)) = {sens} × {prev} / ({sens} × {prev} + "
                         f"{1 - spec:.2f} × {1 - prev:.2f}) = {value:.2f}.", wrong)
        n = 1000
        sick = _half_up(n * prev)
        tp, fp = _half_up(sick * sens), _half_up((n - sick) * (1 - spec))
        return Draft(f"Of 1,000 patients tested, {sick} have the disease. The model's sensitivity is {_pct(sens)} "
                     f"and its specificity {_pct(spec)}. Build the 2×2 table: **how many false positives** are "
                     f"there among the 1,000?", fp,
                     f"Without the disease: 1,000 − {sick} = {n - sick}. False positives = {n - sick} × (1 − {spec}) "
                     f"= {_count((n - sick) * (1 - spec))}. (True positives = {sick} × {sens} = {_count(sick * sens)}; PPV = {tp} / ({tp} + {fp}) = "
                     f"{tp / (tp + fp):.2f}.)",
                     {"missed cases": (sick - tp, "That is the number of false *negatives* (patients with the "
                                                  "disease who are missed)."),
                      "FP among the sick": (_half_up(sick * (1 - spec)), "False positives come from the patients "
                                                                      "*without* the disease."),
                      "true negatives": (n - sick - fp, "That is the number of true negatives (healthy and "
                                                        "cleared).")},
                     tol=1.5, proportion=False, unit="a whole number of patients")
    if level == 3:
        new = rng.choice([p for p in (0.02, 0.05, 0.1, 0.5, 0.6) if abs(p - prev) > 0.04])
        value = ppv(sens, spec, new)
        return Draft(f"A model was validated where {_pct(prev)} of patients had the disease; there its PPV was "
                     f"{ppv(sens, spec, prev):.2f}, with sensitivity {_pct(sens)} and specificity {_pct(spec)}. "
                     f"Your hospital tests patients of whom {_pct(new)} have the disease. If sensitivity and "
                     f"specificity stay the same, what is its **PPV at your hospital**?", value,
                     f"Only the prevalence changes: PPV = {sens} × {new} / ({sens} × {new} + {1 - spec:.2f} × "
                     f"{1 - new:.2f}) = {value:.2f}.",
                     {"old site's PPV": (ppv(sens, spec, prev), "That is the PPV at the validation site: PPV moves "
                                                                "with the prevalence of the patients tested."),
                      "sensitivity": (sens, "That is the sensitivity, not the PPV.")})
    # level 4: choose the lowest of three thresholds whose PPV reaches a target at this prevalence
    thresholds = [0.1, 0.2, 0.3]
    while True:   # redraw until no threshold's PPV sits within 0.01 of the target (a rounding slip decides)
        sens_t = sorted(rng.sample([0.95, 0.9, 0.85, 0.8, 0.7, 0.6], 3), reverse=True)
        spec_t = sorted(rng.sample([0.5, 0.6, 0.7, 0.8, 0.9, 0.95], 3))
        ppvs = [ppv(a, b, prev) for a, b in zip(sens_t, spec_t, strict=True)]
        target = round(rng.uniform(min(ppvs), max(ppvs)) * 20) / 20
        target = min(max(target, round(min(ppvs) + 0.01, 2)), round(max(ppvs) - 0.01, 2))
        if all(abs(v - target) >= 0.01 for v in ppvs):
            break
    ok = [t for t, v in zip(thresholds, ppvs, strict=True) if v >= target]
    answer = min(ok)
    lines = "; ".join(f"at {t:.0%}: sensitivity {_pct(a)}, specificity {_pct(b)}"
                      for t, a, b in zip(thresholds, sens_t, spec_t, strict=True))
    work = "; ".join(f"at {t:.0%}, PPV = {v:.3f}" for t, v in zip(thresholds, ppvs, strict=True))
    wrong = {}
    by_sens = [t for t, a in zip(thresholds, sens_t, strict=True) if a >= target]
    if by_sens and min(by_sens) != answer:
        wrong["sensitivity read as PPV"] = (min(by_sens), "You compared the *sensitivity* with the target: "
                                                          "compute each threshold's PPV at this prevalence.")
    return Draft(f"{_pct(prev)} of your patients have the disease. The model's sensitivity and specificity at three thresholds: "
                 f"{lines}. The team wants at least {target:.0%} of flagged patients to have the disease (PPV ≥ "
                 f"{target:.2f}) while missing as few as possible. Which is the **lowest threshold** that meets "
                 f"this? (Answer 0.1, 0.2 or 0.3.)", answer,
                 f"Compute the PPV of each threshold at a prevalence of {prev}: {work}. The lowest threshold "
                 f"with PPV ≥ {target:.2f} is {answer}: a lower threshold misses fewer patients, so choose the "
                 f"lowest one that meets the target.", wrong, tol=0.01, proportion=False,
                 unit="one of the three thresholds, as a proportion (0.1, 0.2 or 0.3)")


def threshold(rng: random.Random, level: int) -> Draft:
    """M1.5: a threshold from the harms of a missed diagnosis and a false alarm."""
    k = rng.choice([2, 3, 4, 5, 9, 19])
    pt = 1 / (1 + k)
    if level == 1:
        return Draft(f"Missing the disease is judged {k} times as harmful as a needless treatment. Above what "
                     f"**risk threshold** should you treat?", pt,
                     f"Treat when the expected harm of not treating exceeds that of treating: p × {k} > (1 − p) × 1, "
                     f"so p > 1 / (1 + {k}) = {pt:.2f}.",
                     {"1/k": (1 / k, f"1/{k} compares the harms, not the risks: the threshold is 1 / (1 + {k}), "
                                     f"where the odds p / (1 − p) equal 1/{k}."),
                      "k/(1+k)": (k / (1 + k), "The threshold is upside down: the more harmful a miss, the "
                                               "*lower* the threshold should be.")})
    if level == 2:
        t = rng.choice([0.05, 0.1, 0.2, 0.25, 0.33])
        ratio = (1 - t) / t
        return Draft(f"A team treats every patient whose risk is above {t:.0%}. How many **needless treatments "
                     f"per case caught** does this threshold accept (the harm of a miss relative to a needless "
                     f"treatment)?", ratio,
                     f"The threshold's odds are t / (1 − t) = {t} / {1 - t:.2f}; its inverse, (1 − t) / t = "
                     f"{ratio:.1f}, is how many false alarms one true case is worth.",
                     {"odds": (t / (1 - t), "That is the threshold's odds; the exchange rate is its inverse, "
                                            "(1 − t) / t."),
                      "1/t": (1 / t, "1/t counts the case itself as well: the exchange rate is (1 − t) / t.")},
                     tol=0.1, proportion=False, unit="a number, to 1 decimal place")
    n = rng.choice([500, 1000, 2000])
    tp, fp = rng.randint(40, 150), rng.randint(50, 300)
    t = rng.choice([0.1, 0.15, 0.2, 0.25])
    nb = tp / n - fp / n * t / (1 - t)
    if level == 3:
        return Draft(f"At a threshold of {t:.0%}, a model applied to {n:,} patients gives {tp} true positives and "
                     f"{fp} false positives. What is its **net benefit**?", nb,
                     f"Net benefit = TP/n − FP/n × t/(1 − t) = {tp}/{n} − {fp}/{n} × {t}/{1 - t:.2f} = {nb:.3f}.",
                     {"no weight": ((tp - fp) / n, "False positives are weighted by the threshold's odds, "
                                                   "t / (1 − t), not counted in full."),
                      "weight t": (tp / n - fp / n * t, "The weight is the odds t / (1 − t), not t itself.")},
                     tol=0.002, proportion=False, unit="a number, to 3 decimal places")
    prev = rng.choice([0.1, 0.15, 0.2, 0.3])
    nb_all = prev - (1 - prev) * t / (1 - t)
    return Draft(f"{_pct(prev)} of the patients have the disease. What is the net benefit of **treating "
                 f"everyone** at a threshold of {t:.0%}?", nb_all,
                 f"Treat all: every sick patient is a true positive and every other a false positive: "
                 f"NB = p − (1 − p) × t/(1 − t) = {prev} − {1 - prev:.2f} × {t / (1 - t):.3f} = {nb_all:.3f}.",
                 {"prevalence": (prev, "Treating everyone also treats every patient *without* the disease: "
                                       "subtract (1 − p) × t/(1 − t)."),
                  "zero": (0.0, "Zero is the net benefit of treating *no one*.")},
                 tol=0.002, proportion=False, unit="a number, to 3 decimal places")


# -- Module 2 ---------------------------------------------------------------------------------------------

def calibration(rng: random.Random, level: int) -> Draft:
    """M2.2/M2.4: O/E, and risks after an intercept update or a logistic recalibration."""
    n = rng.choice([400, 500, 800, 1000])
    expected = rng.randint(40, 200)
    observed = int(expected * rng.choice([0.6, 0.7, 0.8, 1.25, 1.4, 1.6]))
    oe = observed / expected
    if level == 1:
        verdict = "under-predicts" if oe > 1 else "over-predicts"
        return Draft(f"At a new hospital, the sum of a model's predicted risks over {n} patients is {expected} "
                     f"(the events it expects); {observed} patients had the event. What is the **observed-to-"
                     f"expected ratio** (O/E)?", oe,
                     f"O/E = {observed} / {expected} = {oe:.2f}: the model {verdict} the risk here.",
                     {"E/O": (expected / observed, "That is E/O, inverted: divide what was *observed* by what "
                                                   "the model *expected*."),
                      "difference": ((observed - expected) / n, "That is the difference in rates; O/E is a ratio.")},
                     proportion=False, unit="a ratio, to 2 decimal places")
    if level == 2:
        mean_p = round(expected / n, 3)               # the mean risk as shown; the answer follows from it
        rate = observed / n
        return Draft(f"In {n} patients at a new hospital the model's **mean** predicted risk is {mean_p:.3f} "
                     f"and {observed} patients had the event. What is the **O/E** ratio?", rate / mean_p,
                     f"Observed rate = {observed}/{n} = {rate:.3f}; O/E = {rate:.3f} / {mean_p:.3f} = "
                     f"{rate / mean_p:.2f} (the same as {observed} observed / {n * mean_p:.0f} expected events).",
                     {"E/O": (mean_p / rate, "That is E/O, inverted."),
                      "rate": (rate, "That is the observed event rate; divide it by the mean predicted risk.")},
                     proportion=False, unit="a ratio, to 2 decimal places")
    p = rng.choice([0.05, 0.1, 0.2, 0.3, 0.4])
    if level == 3:
        a = rng.choice([-0.8, -0.5, -0.3, 0.3, 0.5, 0.7])
        new = _expit(_logit(p) + a)
        return Draft(f"An intercept update adds {a:+.1f} to the model's log-odds (the slope stays 1). A patient's "
                     f"original predicted risk is {p:.2f}. What is the **updated risk**?", new,
                     f"logit({p}) = {_logit(p):.3f}; add {a:+.1f}: {_logit(p) + a:.3f}; back to a risk: "
                     f"1 / (1 + e^−({_logit(p) + a:.3f})) = {new:.2f}.",
                     {"added to risk": (p + a if 0 < p + a < 1 else math.nan, "The update is on the log-odds scale: "
                                                                          "convert the risk to log-odds first."),
                      "unchanged": (p, "The intercept update changes every patient's risk.")})
    a = rng.choice([-0.4, -0.2, 0.2, 0.3])
    b = rng.choice([0.6, 0.7, 0.8, 1.2])
    new = _expit(a + b * _logit(p))
    return Draft(f"A logistic recalibration at a new hospital gives intercept a = {a:+.1f} and slope b = {b}. "
                 f"A patient's original risk is {p:.2f}. What is the **recalibrated risk**, "
                 f"expit(a + b × logit(p))?", new,
                 f"logit({p}) = {_logit(p):.3f}; a + b × logit = {a:+.1f} + {b} × {_logit(p):.3f} = "
                 f"{a + b * _logit(p):.3f}; expit = {new:.2f}.",
                 {"slope on risk": (a + b * p if 0 < a + b * p < 1 else math.nan, "Apply a and b to the log-odds, "
                                                                              "not to the risk."),
                  "intercept only": (_expit(a + _logit(p)), "You left out the slope: multiply logit(p) by b.")})


def decision_curve(rng: random.Random, level: int) -> Draft:
    """M2.6: net benefit of a model against treating all, and interventions avoided."""
    n = 1000
    prev = rng.choice([0.1, 0.15, 0.2, 0.3])
    t = rng.choice([0.1, 0.15, 0.2, 0.25])
    sick = round(n * prev)
    tp = round(sick * rng.choice([0.7, 0.8, 0.9]))
    fp = round((n - sick) * rng.choice([0.1, 0.2, 0.3]))
    w = t / (1 - t)
    nb = tp / n - fp / n * w
    nb_all = prev - (1 - prev) * w
    if level == 1:
        return Draft(f"Of {n:,} patients, the model at a {t:.0%} threshold finds {tp} true positives and {fp} "
                     f"false positives. What is its **net benefit** at this threshold?", nb,
                     f"NB = {tp}/{n} − {fp}/{n} × {t}/{1 - t:.2f} = {tp / n:.3f} − {fp / n * w:.3f} = {nb:.3f}.",
                     {"no weight": ((tp - fp) / n, "Weight the false positives by t / (1 − t)."),
                      "weight t": (tp / n - fp / n * t, "The weight is the threshold's odds, t / (1 − t).")},
                     tol=0.002, proportion=False, unit="a number, to 3 decimal places")
    if level == 2:
        return Draft(f"{_pct(prev)} of patients have the disease. What is the net benefit of **treating all** "
                     f"at a {t:.0%} threshold?", nb_all,
                     f"NB(all) = p − (1 − p) × t/(1 − t) = {prev} − {1 - prev:.2f} × {w:.3f} = {nb_all:.3f}.",
                     {"prevalence": (prev, "Treating all also treats the patients without the disease."),
                      "zero": (0.0, "Zero is treating none.")},
                     tol=0.002, proportion=False, unit="a number, to 3 decimal places")
    gain = nb - max(nb_all, 0.0)
    verdict = ("negative: the model does worse than the better default at this threshold" if gain < 0 else
               f"the model adds {gain:.3f} net true positives per patient")
    if level == 3:
        return Draft(f"Of {n:,} patients ({_pct(prev)} with the disease), the model at a {t:.0%} threshold finds "
                     f"{tp} true and {fp} false positives. By how much does its net benefit **exceed the better of "
                     f"treating all and treating none**, per patient?", gain,
                     f"NB(model) = {nb:.3f}; NB(all) = {nb_all:.3f}; NB(none) = 0. The better default is "
                     f"{max(nb_all, 0):.3f}; the difference is {gain:.3f} ({verdict}).",
                     {"against none only": (nb, "Compare with the *better* of treat-all and treat-none: "
                                                "here treating all does better than treating none.")}
                     if nb_all > 0 else
                     {"against all only": (nb - nb_all, "Here treating all does worse than treating none, so "
                                                        "the model must beat treating none.")},
                     tol=0.002, proportion=False, unit="a number, to 3 decimal places")
    avoided = (nb - nb_all) / w * 100
    fn, tn = sick - tp, n - sick - fp
    taught = [(round(nb, d) - round(nb_all, d)) / round(w, d) * 100 for d in (3, 4)]
    return Draft(f"Of {n:,} patients ({_pct(prev)} with the disease), the model at a {t:.0%} threshold finds "
                 f"{tp} true and {fp} false positives. How many **net interventions are avoided per 100 patients** "
                 f"compared with treating all? (Keep 3 decimals in the intermediate steps.)", avoided,
                 f"NB(model) = {nb:.4f}; NB(all) = {nb_all:.4f}. Interventions avoided per 100 = (NB − NB(all)) / "
                 f"(t/(1 − t)) × 100 = {nb - nb_all:.4f} / {w:.4f} × 100 = {avoided:.1f}. The same in counts, "
                 f"with no rounding: (TN − FN × (1 − t)/t) / n × 100 = ({tn} − {fn} × {1 - t:.2f}/{t:.2f}) / {n:,} "
                 f"× 100 = {avoided:.1f}.",
                 {"not divided": ((nb - nb_all) * 100, "Divide the gain in net benefit by the threshold's odds, "
                                                       "t/(1 − t)."),
                  "fewer treated": ((n - tp - fp) / n * 100, "That counts every patient not treated; net "
                                                             "interventions avoided also weigh the cases missed.")},
                 tol=_band(avoided, taught, 0.3), proportion=False,
                 unit="a number of patients per 100, to 1 decimal place")


# -- Module 3 ---------------------------------------------------------------------------------------------

def odds_ratio(rng: random.Random, level: int) -> Draft:
    """M3.2: coefficients as odds ratios, per clinically meaningful units, and back to risks."""
    beta = rng.choice([0.02, 0.03, 0.04, 0.05, 0.06])
    if level == 1:
        b = rng.choice([0.4, 0.6, 0.9, -0.5, -0.7])
        return Draft(f"In a logistic regression, the coefficient of smoking (yes vs no) is {b:+.1f}. What is the "
                     f"**odds ratio** for smokers?", math.exp(b),
                     f"OR = e^{b:+.1f} = {math.exp(b):.2f}.",
                     {"coefficient": (b, "The coefficient is a log odds ratio: exponentiate it."),
                      "1 + coefficient": (1 + b, "e^b is not 1 + b except for tiny b: exponentiate.")},
                     proportion=False, unit="an odds ratio, to 2 decimal places")
    if level == 2:
        per = 10
        return Draft(f"The coefficient of age, per year, is {beta}. What is the odds ratio for a patient **{per} "
                     f"years** older?", math.exp(per * beta),
                     f"OR per {per} years = e^({per} × {beta}) = e^{per * beta:.2f} = {math.exp(per * beta):.2f}.",
                     {"per year": (math.exp(beta), "That is the odds ratio per *one* year."),
                      "times ten": (per * math.exp(beta), "Odds ratios multiply: OR per 10 years = "
                                                          "(OR per year)^10, not 10 × OR.")},
                     proportion=False, unit="an odds ratio, to 2 decimal places")
    p0 = rng.choice([0.05, 0.1, 0.2, 0.3])
    orr = rng.choice([1.5, 2.0, 2.5, 3.0])
    odds = p0 / (1 - p0) * orr
    new = odds / (1 + odds)
    if level == 3:
        return Draft(f"A patient's risk without the finding is {p0:.2f}. The finding has an odds ratio of {orr}. "
                     f"What is the risk **with** the finding (other inputs unchanged)?", new,
                     f"Odds = {p0}/{1 - p0:.2f} = {p0 / (1 - p0):.3f}; × {orr} = {odds:.3f}; risk = odds / (1 + odds) "
                     f"= {new:.2f}.",
                     {"risk times OR": (p0 * orr if p0 * orr < 1 else math.nan, "An odds ratio multiplies *odds*, not "
                                                                            "risk: convert to odds first."),
                      "odds as risk": (odds, "That is the odds; convert back with odds / (1 + odds).")})
    a, b_, c, d = rng.randint(20, 60), rng.randint(60, 140), rng.randint(10, 40), rng.randint(100, 200)
    value = a * d / (b_ * c)
    return Draft(f"Of {a + b_} smokers, {a} had the outcome; of {c + d} non-smokers, {c} did. What is the "
                 f"**odds ratio** of the outcome for smokers?", value,
                 f"Odds in smokers = {a}/{b_}; in non-smokers = {c}/{d}. OR = ({a}/{b_}) / ({c}/{d}) = {value:.2f}.",
                 {"risk ratio": ((a / (a + b_)) / (c / (c + d)), "That is the risk ratio; the odds ratio divides "
                                                                 "the odds, events / non-events."),
                  "inverted": (b_ * c / (a * d), "That is the odds ratio for non-smokers (inverted).")},
                 tol=0.05, proportion=False, unit="an odds ratio, to 2 decimal places")


def shap_additivity(rng: random.Random, level: int) -> Draft:
    """M3.4: a SHAP waterfall adds up: base value + contributions = the model's output (log-odds)."""
    base = round(rng.uniform(-1.5, -0.3), 2)
    contribs = [round(rng.uniform(-0.8, 1.2), 2) for _ in range(3)]
    names = ["age", "ST depression", "exercise angina"]
    listing = ", ".join(f"{nm} {v:+.2f}" for nm, v in zip(names, contribs, strict=True))
    total = base + sum(contribs)
    if level == 1:
        return Draft(f"A SHAP waterfall (in log-odds) has a base value of {base:+.2f} and contributions {listing}. "
                     f"What is the model's **output in log-odds** for this patient?", total,
                     f"Output = base + sum of contributions = {base:+.2f} {' '.join(f'{v:+.2f}' for v in contribs)}"
                     f" = {total:.2f}.",
                     {"contributions only": (sum(contribs), "Start from the base value (the model's average "
                                                            "output), then add the contributions.")},
                     tol=0.02, proportion=False, unit="log-odds, to 2 decimal places")
    if level == 2:
        return Draft(f"A SHAP waterfall (in log-odds) has a base value of {base:+.2f} and contributions {listing}. "
                     f"What **risk** does the model give this patient?", _expit(total),
                     f"Log-odds = {total:.3f}; risk = 1 / (1 + e^−({total:.3f})) = {_expit(total):.2f}.",
                     {"log-odds": (total if 0 < total < 1 else math.nan, "That is the log-odds; convert to a risk."),
                      "base risk plus": (_expit(base) + sum(contribs) if 0 < _expit(base) + sum(contribs) < 1
                                         else math.nan, "SHAP values here are in log-odds: add them on that scale, "
                                                    "then convert.")})
    out = round(_expit(total), 3)                     # the risk as shown; the answer follows from it
    missing = _logit(out) - base - contribs[0] - contribs[1]
    return Draft(f"The model gives this patient a risk of {out:.3f}. The SHAP base value is {base:+.2f} (log-odds); "
                 f"two contributions are {names[0]} {contribs[0]:+.2f} and {names[1]} {contribs[1]:+.2f}, and only "
                 f"{names[2]} is left. What is **its SHAP value** (log-odds)?", missing,
                 f"logit({out:.3f}) = {_logit(out):.3f}; subtract base and the two others: {_logit(out):.3f} − "
                 f"({base:+.2f}) − ({contribs[0]:+.2f}) − ({contribs[1]:+.2f}) = {missing:.2f}.",
                 {"risk scale": (out - _expit(base) - contribs[0] - contribs[1], "Work in log-odds: convert the "
                                                                                 "risk with logit first.")},
                 tol=0.02, proportion=False, unit="log-odds, to 2 decimal places")


# -- Module 4 ---------------------------------------------------------------------------------------------

def group_rates(rng: random.Random, level: int) -> Draft:
    """M4.1/M4.2: false-negative and false-positive rates by group; equal opportunity vs demographic parity."""
    groups = {}
    for g in ("women", "men"):
        pos, neg = rng.randint(40, 120), rng.randint(100, 300)
        tp, fp = rng.randint(int(0.5 * pos), int(0.9 * pos)), rng.randint(int(0.05 * neg), int(0.3 * neg))
        groups[g] = dict(pos=pos, neg=neg, tp=tp, fp=fp)
    w, m = groups["women"], groups["men"]
    text = "; ".join(f"{g}: {v['pos']} with the disease ({v['tp']} flagged), {v['neg']} without ({v['fp']} flagged)"
                     for g, v in groups.items())

    def fnr(v):
        return 1 - v["tp"] / v["pos"]

    def fpr(v):
        return v["fp"] / v["neg"]

    def sel(v):
        return (v["tp"] + v["fp"]) / (v["pos"] + v["neg"])

    if level == 1:
        return Draft(f"{text}. What is the **false-negative rate** in women (the share of women with the disease "
                     f"whom the model misses)?", fnr(w),
                     f"FNR = missed / with the disease = ({w['pos']} − {w['tp']}) / {w['pos']} = {fnr(w):.2f}.",
                     {"sensitivity": (1 - fnr(w), "That is the sensitivity (the share caught); FNR = 1 − sensitivity."),
                      "FPR": (fpr(w), "That is the false-*positive* rate, among women without the disease.")})
    if level == 2:
        return Draft(f"{text}. What is the **false-positive rate** in men?", fpr(m),
                     f"FPR = flagged without the disease / without the disease = {m['fp']} / {m['neg']} = {fpr(m):.2f}.",
                     {"FNR": (fnr(m), "That is the false-*negative* rate (among men with the disease)."),
                      "share of flags": (m["fp"] / (m["tp"] + m["fp"]), "You divided by everyone flagged (that "
                                                                        "is 1 − PPV); divide by men without the "
                                                                        "disease.")})
    if level == 3:
        diff = fnr(w) - fnr(m)
        return Draft(f"{text}. What is the **difference in false-negative rates**, women minus men (an equal "
                     f"opportunity check)?", diff,
                     f"FNR women = {fnr(w):.3f}; FNR men = {fnr(m):.3f}; difference = {diff:.2f}.",
                     {"selection rate difference": (sel(w) - sel(m), "That is the difference in the share "
                                                                     "flagged (demographic parity), not in the "
                                                                     "error rate among those with the disease."),
                      "men minus women": (-diff, "The sign is reversed: women minus men.")},
                     tol=0.01, proportion=False, unit="a difference of proportions, to 2 decimal places")
    ratio = min(sel(w), sel(m)) / max(sel(w), sel(m))
    return Draft(f"{text}. What is the **demographic parity ratio** (the smaller selection rate divided by the "
                 f"larger; the selection rate is the share flagged)?", ratio,
                 f"Selection rate women = ({w['tp']} + {w['fp']}) / {w['pos'] + w['neg']} = {sel(w):.3f}; men = "
                 f"({m['tp']} + {m['fp']}) / {m['pos'] + m['neg']} = {sel(m):.3f}; ratio = {ratio:.2f}.",
                 {"TPR ratio": (min(1 - fnr(w), 1 - fnr(m)) / max(1 - fnr(w), 1 - fnr(m)),
                                "That compares true-positive rates (an equal-opportunity check, one half of "
                                "equalised odds); demographic parity "
                                "compares the share flagged among *all* patients.")},
                 tol=0.01, proportion=False, unit="a ratio, to 2 decimal places")


# -- Module 5 ---------------------------------------------------------------------------------------------

def alert_burden(rng: random.Random, level: int) -> Draft:
    """M5.4: alerts per day and alerts per true case from prevalence, sensitivity and specificity."""
    census = rng.choice([200, 300, 400, 600])
    prev = rng.choice([0.03, 0.05, 0.07, 0.1])
    sens = rng.choice([0.6, 0.7, 0.8])
    spec = rng.choice([0.8, 0.85, 0.9])
    alerts = census * (prev * sens + (1 - prev) * (1 - spec))
    if level == 1:
        rate = rng.choice([0.1, 0.15, 0.18, 0.2])
        return Draft(f"A sepsis model screens {census} inpatients a day and alerts on {_pct(rate)} of them. "
                     f"How many **alerts per day**?", census * rate,
                     f"{census} × {rate} = {census * rate:.0f} alerts a day.",
                     {"percent": (census * rate * 100, "Use the proportion, not the percentage.")},
                     tol=1.5, proportion=False, unit="alerts a day")
    if level == 2:
        return Draft(f"{census} inpatients a day; {_pct(prev)} have sepsis. The model's sensitivity is {_pct(sens)} "
                     f"and specificity {_pct(spec)}. How many **alerts per day, true and false together**?", alerts,
                     f"True alerts = {census} × {prev} × {sens} = {census * prev * sens:.1f}; false alerts = {census} × "
                     f"{1 - prev:.2f} × {1 - spec:.2f} = {census * (1 - prev) * (1 - spec):.1f}; total {alerts:.1f}.",
                     {"true only": (census * prev * sens, "You counted only the true alerts: the false alerts "
                                                          "among patients without sepsis come too."),
                      "spec as alert rate": (census * (1 - prev) * spec, "Specificity is the share of patients "
                                                                         "*without* sepsis who are *not* alerted.")},
                     tol=1.5, proportion=False, unit="alerts a day, to the nearest whole alert")
    ppv = prev * sens / (prev * sens + (1 - prev) * (1 - spec))
    if level == 3:
        taught = [1 / round(ppv, d) for d in (2, 3)]
        true_, false_ = 1000 * prev * sens, 1000 * (1 - prev) * (1 - spec)
        return Draft(f"{_pct(prev)} of inpatients have sepsis; sensitivity {_pct(sens)}, specificity {_pct(spec)}. "
                     f"How many **alerts per true case** (the number needed to alert, 1 / PPV)? (Keep 3 decimals "
                     f"in the intermediate steps.)", 1 / ppv,
                     f"PPV = {ppv:.3f}; alerts per true case = 1 / {ppv:.3f} = {1 / ppv:.1f}. In counts: of 1,000 "
                     f"inpatients, {true_:g} true alerts and {false_:g} false ones; ({true_:g} + {false_:g}) / "
                     f"{true_:g} = {1 / ppv:.1f}.",
                     {"PPV": (ppv, "That is the PPV; the number of alerts per true case is its inverse."),
                      "1/sensitivity": (1 / sens, "Alerts per true case depend on the false alerts: use 1 / PPV.")},
                     tol=_band(1 / ppv, taught, 0.2), proportion=False,
                     unit="alerts per true case, to 1 decimal place")
    days = 7
    admitted = census // 4
    missed = admitted * prev * (1 - sens) * days
    return Draft(f"{admitted} patients are admitted a day, and the model screens each new admission; {_pct(prev)} "
                 f"of them have sepsis; sensitivity {_pct(sens)}. Over a week ({days} days), how many admitted "
                 f"patients with sepsis does the model **miss**?", missed,
                 f"Missed a day = {admitted} × {prev} × (1 − {sens}) = {admitted * prev * (1 - sens):.1f}; × {days} = "
                 f"{missed:.1f}, about {_half_up(missed)} patients.",
                 {"caught": (admitted * prev * sens * days, "That is the number *caught*; missed = 1 − sensitivity."),
                  "one day": (admitted * prev * (1 - sens), "That is one day; multiply by the days of the week.")},
                 tol=1.5, proportion=False, unit="patients, to the nearest whole patient")
