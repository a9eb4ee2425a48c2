"""Train a logistic regression with (inverted) input dropout, then evaluate it twice on the same
validation set. Evaluation must be deterministic: the same model on the same rows gives the same
accuracy every time."""

import json

import numpy as np

rng = np.random.default_rng(3)
n_samples, n_features, split, drop = 600, 10, 400, 0.5
X = rng.normal(size=(n_samples, n_features))
true_w = rng.normal(size=n_features)
y = (X @ true_w > 0).astype(float)
X_train, y_train, X_val, y_val = X[:split], y[:split], X[split:], y[split:]


def forward(w, b, X, training):
    if training:
        keep = rng.random(X.shape) > drop
        X = X * keep / (1 - drop)
    return 1 / (1 + np.exp(-(X @ w + b)))


w, b = np.zeros(n_features), 0.0
for _epoch in range(300):
    probabilities = forward(w, b, X_train, training=True)
    error = probabilities - y_train
    w -= 0.5 * X_train.T @ error / len(y_train)
    b -= 0.5 * error.mean()


def evaluate(X, y):
    probabilities = forward(w, b, X, training=True)
    return float(((probabilities > 0.5) == y).mean())


first, second = evaluate(X_val, y_val), evaluate(X_val, y_val)
print(json.dumps({"val_accuracy_first": first, "val_accuracy_second": second}))
