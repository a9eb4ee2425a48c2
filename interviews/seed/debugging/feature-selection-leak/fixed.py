"""Pick the 20 features most correlated with the label, fit a nearest-centroid classifier on the
training rows and report its validation accuracy. The data is pure noise on purpose, so an
honest pipeline can only score about 0.5."""

import json

import numpy as np

rng = np.random.default_rng(0)
n_samples, n_features, k, split = 200, 2000, 20, 150
X = rng.normal(size=(n_samples, n_features))
y = rng.integers(0, 2, size=n_samples)


def top_k_features(X, y, k):
    centred = y - y.mean()
    scores = np.abs((X - X.mean(axis=0)).T @ centred)
    return np.argsort(scores)[-k:]


def fit_centroids(X, y):
    return np.stack([X[y == c].mean(axis=0) for c in (0, 1)])


def predict(centroids, X):
    distances = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return distances.argmin(axis=1)


features = top_k_features(X[:split], y[:split], k)
X_train, y_train = X[:split][:, features], y[:split]
X_val, y_val = X[split:][:, features], y[split:]

centroids = fit_centroids(X_train, y_train)
val_accuracy = float((predict(centroids, X_val) == y_val).mean())
print(json.dumps({"val_accuracy": round(val_accuracy, 3)}))
