"""Train a logistic regression for 40 epochs with step decay: the learning rate starts at 1.0 and
halves every 10 epochs. Reports the final training loss and the last learning rate used."""

import json

import numpy as np

rng = np.random.default_rng(4)
n_samples, n_features = 500, 8
X = rng.normal(size=(n_samples, n_features))
true_w = 2 * rng.normal(size=n_features)
y = (X @ true_w + rng.normal(size=n_samples) > 0).astype(float)


def learning_rate(epoch, base=1.0, gamma=0.5, step_size=10):
    return base * gamma**epoch


def log_loss(w, X, y):
    p = np.clip(1 / (1 + np.exp(-(X @ w))), 1e-12, 1 - 1e-12)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())


w = np.zeros(n_features)
for epoch in range(40):
    lr = learning_rate(epoch)
    p = 1 / (1 + np.exp(-(X @ w)))
    w -= lr * X.T @ (p - y) / n_samples

print(json.dumps({"final_loss": round(log_loss(w, X, y), 4), "last_lr": lr}))
