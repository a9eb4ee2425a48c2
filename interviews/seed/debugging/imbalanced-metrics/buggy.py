"""Score a fraud classifier on an imbalanced validation set (about 10% positives): the model
outputs logits; a transaction is flagged when its probability exceeds 0.5. Reports how many
were flagged, precision and recall."""

import json

import numpy as np

rng = np.random.default_rng(6)
n = 2000
y = (rng.random(n) < 0.1).astype(int)
logits = np.where(y == 1, 1.0, -2.0) + 1.2 * rng.normal(size=n)

probabilities = 1 / (1 + np.exp(-logits))
flagged = (logits > 0.5).astype(int)

tp = int(((flagged == 1) & (y == 1)).sum())
fp = int(((flagged == 1) & (y == 0)).sum())
fn = int(((flagged == 0) & (y == 1)).sum())
precision = tp / (tp + fn)
recall = tp / (tp + fn)
print(
    json.dumps(
        {
            "flagged": int(flagged.sum()),
            "precision": round(precision, 3),
            "recall": round(recall, 3),
        }
    )
)
