"""The pair-debugging library: small numpy programs with seeded bugs. ``buggy.py`` and
``fixed.py`` (stored as ``*.py.txt``) differ only on the documented lines, and each prints one
JSON line of results so a test can run both and check that the fix changes the behaviour as
described."""

from __future__ import annotations

from pathlib import Path
from typing import Final, TypedDict

PROGRAMS_DIR: Final = Path(__file__).resolve().parent / "debugging"


class BugRow(TypedDict):
    category: str
    title: str
    explanation: str
    line_start: int
    line_end: int
    hints: list[str]


class TaskRow(TypedDict):
    slug: str
    title: str
    description: str
    expected_behaviour: str
    competencies: list[str]
    time_box_minutes: int
    bugs: list[BugRow]


def program_source(slug: str, version: str) -> str:
    """The text of ``debugging/<slug>/<version>.py.txt``; version is "buggy" or "fixed". Stored
    as text, not modules: they are material for candidates, not part of the application."""
    return (PROGRAMS_DIR / slug / f"{version}.py.txt").read_text()


DEBUGGING_TASKS: Final[list[TaskRow]] = [
    {
        "slug": "feature-selection-leak",
        "title": "Feature selection before the split",
        "description": "A nearest-centroid classifier on 20 selected features out of 2,000. The "
        "data is random noise, yet the script reports a validation accuracy well above chance. "
        "Ask the candidate whether they believe the number and how they would check it.",
        "expected_behaviour": "Buggy: val_accuracy 0.72 on pure noise. Fixed (features chosen "
        "on the training rows only): val_accuracy 0.5, chance level, as it must be.",
        "competencies": ["ml-knowledge", "software-engineering"],
        "time_box_minutes": 30,
        "bugs": [
            {
                "category": "data_leakage",
                "title": "Features are selected with the validation labels",
                "explanation": "top_k_features sees all 200 rows, so it picks the features that "
                "happen to correlate with the validation labels too. Selection is part of "
                "training: fit it on X[:split], y[:split] only.",
                "line_start": 30,
                "line_end": 30,
                "hints": [
                    "The data is random. What accuracy should any honest model get?",
                    "Which steps of the pipeline look at the labels?",
                    "Which rows does top_k_features see?",
                ],
            }
        ],
    },
    {
        "slug": "mse-reduction",
        "title": "Gradient descent that diverges",
        "description": "Full-batch gradient descent on a linear regression. The learning rate "
        "0.1 was tuned for a mean-squared-error loss, but training blows up. Ask the candidate "
        "to find why without changing the learning rate.",
        "expected_behaviour": "Buggy: initial_loss about 2042 (256 times the mean) and the run "
        "diverges. Fixed (mean reduction in the loss and both gradients): initial_loss about "
        "7.98 and final_loss about 0.011, the noise level.",
        "competencies": ["ml-knowledge", "math-statistics"],
        "time_box_minutes": 30,
        "bugs": [
            {
                "category": "loss_reduction",
                "title": "Sum instead of mean in the loss and its gradients",
                "explanation": "Summing over 256 rows makes the loss and the gradient 256 times "
                "larger, so a step size tuned for the mean overshoots and diverges. Divide by "
                "the number of rows (mean) in the loss, grad_w and grad_b alike.",
                "line_start": 17,
                "line_end": 19,
                "hints": [
                    "Compare the initial loss with the variance of y.",
                    "How does the gradient's size depend on the number of rows?",
                    "The docstring says mean squared error. Is it a mean?",
                ],
            }
        ],
    },
    {
        "slug": "regression-eval-shapes",
        "title": "An evaluation that broadcasts",
        "description": "A least-squares fit whose validation report is nonsense: a negative R^2 "
        "for a model that fits almost perfectly. Two independent bugs: find both.",
        "expected_behaviour": "Buggy: val_mse about 30 and val_r2 about -200. Fixed: val_mse "
        "about 0.098 (the noise variance, 0.09) and val_r2 about 0.99.",
        "competencies": ["software-engineering", "math-statistics"],
        "time_box_minutes": 40,
        "bugs": [
            {
                "category": "shapes",
                "title": "Residuals broadcast to a (100, 100) matrix",
                "explanation": "predictions has shape (100,) and y_val (100, 1); their difference "
                "broadcasts to every prediction minus every target. Flatten the targets (or keep "
                "both as columns) before subtracting, and assert shapes.",
                "line_start": 19,
                "line_end": 19,
                "hints": [
                    "Print residuals.shape.",
                    "What shape does the loader give the targets?",
                ],
            },
            {
                "category": "metric",
                "title": "R^2 divides by the spread of the predictions",
                "explanation": "R^2 is 1 - SS_res / SS_tot with SS_tot the spread of the "
                "*targets* around their mean; using the predictions' spread rewards a model that "
                "predicts a constant.",
                "line_start": 22,
                "line_end": 22,
                "hints": [
                    "Write down the definition of R^2.",
                    "What is SS_tot measured around?",
                ],
            },
        ],
    },
    {
        "slug": "dropout-eval-mode",
        "title": "Validation accuracy that changes between runs",
        "description": "A logistic regression trained with input dropout. Evaluating the same "
        "model twice on the same rows gives two different accuracies, both poor. Ask the "
        "candidate what evaluation should look like.",
        "expected_behaviour": "Buggy: two evaluations disagree (0.735 then 0.71). Fixed "
        "(training=False at evaluation): both give 0.93.",
        "competencies": ["ml-knowledge", "software-engineering"],
        "time_box_minutes": 30,
        "bugs": [
            {
                "category": "train_eval_mode",
                "title": "Dropout stays on during evaluation",
                "explanation": "evaluate calls forward with training=True, so half of the inputs "
                "are dropped at random. Dropout is a training-time regulariser; evaluation runs "
                "the deterministic model (the PyTorch equivalent: model.eval()).",
                "line_start": 33,
                "line_end": 33,
                "hints": [
                    "Same model, same rows, different answers: where is the randomness?",
                    "What should forward do differently at evaluation time?",
                ],
            }
        ],
    },
    {
        "slug": "lr-step-decay",
        "title": "A schedule that stops learning",
        "description": "Logistic regression for 40 epochs with a step-decay schedule described "
        "in the docstring. Training loss plateaus early at a poor value.",
        "expected_behaviour": "Buggy: last_lr about 1.8e-12 and final_loss about 0.50. Fixed "
        "(halve every 10 epochs): last_lr 0.125 and final_loss about 0.26.",
        "competencies": ["ml-knowledge", "software-engineering"],
        "time_box_minutes": 25,
        "bugs": [
            {
                "category": "lr_schedule",
                "title": "The learning rate halves every epoch",
                "explanation": "gamma is raised to the epoch instead of to epoch // step_size, so "
                "after ten epochs the step is a thousandth of the base and training stalls.",
                "line_start": 16,
                "line_end": 16,
                "hints": [
                    "Log the learning rate at each epoch.",
                    "Where is step_size used?",
                ],
            }
        ],
    },
    {
        "slug": "label-encoding",
        "title": "Labels encoded twice",
        "description": "A three-class nearest-centroid model with string labels. It separates "
        "the classes cleanly when plotted, yet validation accuracy is near zero.",
        "expected_behaviour": "Buggy: val_accuracy 0.02. Fixed (validation labels encoded with "
        "the training classes): val_accuracy 0.97.",
        "competencies": ["software-engineering", "data-engineering"],
        "time_box_minutes": 25,
        "bugs": [
            {
                "category": "label_handling",
                "title": "Validation labels use their own encoding",
                "explanation": "np.unique(labels_val) has only two classes, so 'versicolor' "
                "becomes 0 in validation but 1 in training. Fit the encoding once, on the "
                "training labels, and reuse it everywhere (and fail on unseen labels).",
                "line_start": 20,
                "line_end": 20,
                "hints": [
                    "Accuracy far below chance usually means a systematic mismatch.",
                    "Print y_val[:5] next to labels_val[:5].",
                    "Which classes does validation contain?",
                ],
            }
        ],
    },
    {
        "slug": "imbalanced-metrics",
        "title": "Fraud metrics that look suspiciously tidy",
        "description": "Evaluation of a fraud model on a 10%-positive set: precision and recall "
        "come out exactly equal. Two bugs: one in the decision rule, one in a metric.",
        "expected_behaviour": "Buggy: flagged 160, precision 0.65 equal to recall 0.65. Fixed: "
        "flagged 253, precision 0.585 and recall 0.836.",
        "competencies": ["ml-knowledge", "math-statistics"],
        "time_box_minutes": 30,
        "bugs": [
            {
                "category": "metric",
                "title": "The 0.5 threshold is applied to logits",
                "explanation": "The docstring flags probabilities above 0.5, i.e. logits above 0. "
                "Thresholding logits at 0.5 is a probability threshold of 0.62 and misses "
                "frauds.",
                "line_start": 15,
                "line_end": 15,
                "hints": [
                    "probabilities is computed but is it used?",
                    "What probability does a logit of 0.5 correspond to?",
                ],
            },
            {
                "category": "metric",
                "title": "Precision computed as recall",
                "explanation": "Precision is tp / (tp + fp): of those flagged, how many were "
                "fraud. The code divides by tp + fn, which is recall.",
                "line_start": 20,
                "line_end": 20,
                "hints": [
                    "Precision equal to recall on an imbalanced set is a coincidence or a bug.",
                    "Write both definitions next to each other.",
                ],
            },
        ],
    },
]
