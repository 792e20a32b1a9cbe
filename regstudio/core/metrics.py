"""Evaluation metrics on train and test rows."""

from __future__ import annotations

import numpy as np


def regression_metrics(y: np.ndarray, y_hat: np.ndarray) -> dict:
    """MSE, RMSE, MAE and R² of predictions ``y_hat`` (N,) against ``y`` (N,).

    R² is 1 − SS_res/SS_tot; with constant ``y`` it is 1.0 for a perfect fit and 0.0 otherwise
    (scikit-learn's convention).
    """
    # One scratch array for every sum: on a large data set each new array costs more than its sum.
    r = np.subtract(y, y_hat, dtype=np.float64)
    ss_res = float(r @ r)
    mse = ss_res / len(r)
    mae = float(np.abs(r, out=r).sum()) / len(r)
    np.subtract(y, y.mean(dtype=np.float64), out=r, dtype=np.float64)
    ss_tot = float(r @ r)
    if ss_tot > 0:
        r2 = 1.0 - ss_res / ss_tot
    else:
        r2 = 1.0 if ss_res == 0 else 0.0
    return {"mse": mse, "rmse": float(np.sqrt(mse)), "mae": mae, "r2": r2}


def classification_metrics(y_index: np.ndarray, log_proba: np.ndarray) -> dict:
    """Cross-entropy, accuracy and confusion matrix of class log-probabilities ``log_proba`` (N, K).

    ``y_index`` (N,) holds true class indices; cross-entropy is mean(−log_proba[y]).  Taking
    log-probabilities (computed from the logits, ``Model.log_proba``) rather than probabilities
    keeps a confidently wrong prediction's full loss: ln of a probability that underflowed to 0
    would need clipping and report ln(1e-300) = 690.8 where the objective has the logit's size.
    The confusion matrix is (K, K) with true classes in rows and predicted classes in columns.
    """
    n, k = log_proba.shape
    picked = log_proba[np.arange(n), y_index]
    predicted = np.argmax(log_proba, axis=1)
    confusion = np.zeros((k, k), dtype=np.int64)
    np.add.at(confusion, (y_index, predicted), 1)
    return {"cross_entropy": float(-np.mean(picked)),
            "accuracy": float(np.mean(predicted == y_index)),
            "confusion": confusion.tolist()}
