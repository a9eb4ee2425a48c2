"""Fit a linear regression by full-batch gradient descent on 256 rows and report the loss before
and after training. The loss is the mean squared error; the learning rate was tuned for it."""

import json

import numpy as np

rng = np.random.default_rng(1)
n_samples, n_features = 256, 5
X = rng.normal(size=(n_samples, n_features))
true_w = rng.normal(size=n_features)
y = X @ true_w + 0.5 + 0.1 * rng.normal(size=n_samples)


def loss_and_gradients(w, b, X, y):
    error = X @ w + b - y
    loss = (error**2).sum()
    grad_w = 2 * X.T @ error
    grad_b = 2 * error.sum()
    return loss, grad_w, grad_b


w, b, learning_rate = np.zeros(n_features), 0.0, 0.1
initial_loss = float(loss_and_gradients(w, b, X, y)[0])
diverged = False
for _step in range(200):
    loss, grad_w, grad_b = loss_and_gradients(w, b, X, y)
    if not np.isfinite(loss) or loss > 1e12:
        diverged = True
        break
    w, b = w - learning_rate * grad_w, b - learning_rate * grad_b

final_loss = float(loss_and_gradients(w, b, X, y)[0]) if not diverged else None
print(
    json.dumps(
        {
            "initial_loss": round(initial_loss, 4),
            "final_loss": None if final_loss is None else round(final_loss, 4),
            "diverged": diverged,
        }
    )
)
