"""Fit a least-squares regression on the training rows and report validation MSE and R^2. The
targets come from a loader that returns them as a column vector, shape (n, 1)."""

import json

import numpy as np

rng = np.random.default_rng(2)
n_samples, n_features, split = 300, 4, 200
X = rng.normal(size=(n_samples, n_features))
true_w = np.array([1.5, -2.0, 0.5, 3.0])
y = (X @ true_w + 0.3 * rng.normal(size=n_samples)).reshape(-1, 1)

X_train, y_train = X[:split], y[:split]
X_val, y_val = X[split:], y[split:]
w, *_ = np.linalg.lstsq(X_train, y_train.ravel(), rcond=None)

predictions = X_val @ w
residuals = predictions - y_val
mse = float((residuals**2).mean())
ss_res = float((residuals**2).sum())
ss_tot = float(((predictions - predictions.mean()) ** 2).sum())
r2 = 1 - ss_res / ss_tot
print(json.dumps({"val_mse": round(mse, 4), "val_r2": round(r2, 4)}))
