"""Batch, mini-batch and stochastic gradient descent for linear regression, in NumPy."""

import numpy as np

from homl_tui import report

T0, T1 = 5.0, 50.0          # the learning schedule eta(t) = T0 / (t + T1) starts at 0.1


def learning_schedule(t, t0=T0, t1=T1):
    """The learning rate at step t (t = 0, 1, 2, ... counted over the whole run)."""
    return t0 / (t + t1)


def gradient_descent(X, y, batch_size, n_epochs, rng, t0=T0, t1=T1):
    """Fit theta (bias first) to the MSE by gradient descent on batches of `batch_size`.

    batch_size = len(X) is batch GD, 1 is stochastic GD, anything between is mini-batch GD.
    Every epoch visits the examples in a fresh random order (rng.permutation); the last batch
    may be smaller. Returns theta of shape (n + 1,) and `losses`, one float per step: the MSE
    of the batch used at that step, before the update.
    """
    m = len(X)
    X_b = np.column_stack([np.ones(m), X])
    theta = np.zeros(X_b.shape[1])
    losses = []
    t = 0
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            idx = order[start:start + batch_size]
            xb, yb = X_b[idx], y[idx]
            error = xb @ theta - yb
            gradient = 2 / len(idx) * xb.T @ error
            theta = theta - learning_schedule(t, t0, t1) * gradient
            losses.append(float(np.mean(error ** 2)))
            report.metric(step=t, loss=losses[-1])
            t += 1
        report.progress(epoch + 1, n_epochs)
    return theta, losses


if __name__ == "__main__":
    rng = np.random.default_rng(42)
    m = 200
    X = rng.uniform(0, 2, size=(m, 1))
    y = 4 + 3 * X[:, 0] + rng.normal(0, 1, size=m)
    X_b = np.column_stack([np.ones(m), X])
    best = np.linalg.solve(X_b.T @ X_b, X_b.T @ y)
    print(f"normal equation:  bias {best[0]:.4f}  slope {best[1]:.4f}")

    for name, batch_size, epochs, t0, t1 in (("batch GD", m, 200, 100, 1000),
                                             ("mini-batch GD", 20, 50, 5, 50),
                                             ("stochastic GD", 1, 20, 5, 50)):
        theta, losses = gradient_descent(X, y, batch_size, epochs, np.random.default_rng(0),
                                         t0, t1)
        print(f"{name:15s}   bias {theta[0]:.4f}  slope {theta[1]:.4f}   "
              f"({len(losses)} steps, last batch MSE {losses[-1]:.3f})")
        report.plot(f"{name} loss", losses, title=f"{name}: batch MSE at every step")
