# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Practice 2: Does it work here?
#
# A model built elsewhere arrives at your hospital. Before its risks are told to a patient, you check them against your own patients: how far off are they (O/E), what do they become after updating, and does acting on them do more good than treating everyone or no one?
#
# **How this practice works** (about 15 minutes, as often as you like):
#
# 1. Put your name, or any id you like, in `LEARNER` below: it seeds *your* questions, so two people get
#    different numbers, and the same question can be regenerated later.
# 2. Run the question cell, work the answer out (on paper is fine), type it in place of `None` in the answer
#    cell, and run that cell. You are told at once whether it is right; the answer itself is not stored in
#    this notebook, only a fingerprint (a hash) of it.
# 3. A known mistake gets a hint aimed at it. After two misses in a row you see the worked solution and
#    drop a level; after two correct answers in a row you go up a level. Two correct in a row at the top
#    level and the objective is **mastered**.
# 4. Your progress is saved after each answer in a small file you own, `practice-<your id>.json` in the
#    folder `.clinical-ai-course` of your home directory. Delete it to start again.
#
# Items in this notebook: `calibration`, `decision_curve`. Nothing here is graded.

# %%
from IPython.display import Markdown

from autograder.practice import Practice, recommendations

LEARNER = "your-name"   # change this to your name or any id you like
practice = Practice(LEARNER, module="m02")
practice.question()

# %% [markdown]
# Type your answer in place of `None` (a number: a proportion, a ratio or a count, as the question asks), then run the cell.

# %%
answer = None
practice.check(answer)

# %% [markdown]
# Run the cell below for the next question (or the same one, if you are trying it again), then go back to
# the answer cell. To practise one item on purpose, give its name: `practice.question("calibration")`.

# %%
practice.question()

# %% [markdown]
# ## Where you stand
#
# What you have mastered, and for each objective not yet mastered the page to read and the practice to do.

# %%
Markdown(recommendations(practice.progress))
