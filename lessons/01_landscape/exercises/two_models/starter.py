"""Money and happiness: a straight line (model-based) against k nearest neighbours
(instance-based), both written with NumPy only.

Run this file to fit both models to the table and plot them; Check to test fit_line and
knn_predict.
"""

import numpy as np

from homl_tui import report


# ---- Done for you: the lesson's made-up table of countries. ----

def make_country_table(n=40, seed=42):
    """GDP per capita (thousands of US dollars) and life satisfaction (0-10) of n made-up
    countries, sorted by GDP. The same seed always gives the same table."""
    rng = np.random.default_rng(seed)
    gdp = np.exp(rng.uniform(np.log(3.0), np.log(110.0), size=n))
    satisfaction = 2.6 + 0.95 * np.log(gdp) + rng.normal(0.0, 0.3, size=n)
    gdp = np.round(gdp, 1)
    satisfaction = np.round(np.clip(satisfaction, 0.0, 10.0), 2)
    order = np.argsort(gdp)
    return gdp[order], satisfaction[order]


# ---- Your part. ----

def fit_line(x, y):
    """Least-squares line y ~ theta0 + theta1 * x; return (theta0, theta1) as floats.

    x, y: 1-D arrays of the same length (for example GDP and life satisfaction).
    theta1 (the slope) is the covariance of x and y divided by the variance of x;
    theta0 (the intercept) makes the line pass through the point (mean of x, mean of y).
    """
    # TODO 1: compute the means of x and y.
    # TODO 2: theta1 = sum((x - x_mean) * (y - y_mean)) / sum((x - x_mean) ** 2)
    # TODO 3: theta0 = y_mean - theta1 * x_mean; return them as two floats.
    raise NotImplementedError("fit_line: fill in the TODOs")


def knn_predict(x_train, y_train, x_new, k=3):
    """For every value in x_new, the mean of y_train over the k training points whose x is
    closest to it. Return an array of shape (len(x_new),).

    x_train, y_train: 1-D arrays of length n (the stored examples).
    x_new:            1-D array of length m (the inputs to predict for).
    """
    # TODO 4: an (m, n) array of distances between every x_new and every x_train
    #         (broadcasting: x_new[:, None] - x_train[None, :]; a distance is never negative).
    # TODO 5: in each row, the indices of the k smallest distances (np.argsort along axis 1).
    # TODO 6: average the y_train values at those indices, row by row.
    raise NotImplementedError("knn_predict: fill in the TODOs")


if __name__ == "__main__":
    gdp, sat = make_country_table()
    print("A few rows of the table (GDP per capita in k$, life satisfaction):")
    for g, s in list(zip(gdp, sat, strict=True))[::8]:
        print(f"    {g:6.1f}  {s:5.2f}")

    theta0, theta1 = fit_line(gdp, sat)
    print(f"\nLinear model: satisfaction = {theta0:.3f} + {theta1:.4f} * GDP")
    for new in (4.0, 37.7, 150.0):
        line = theta0 + theta1 * new
        knn = knn_predict(gdp, sat, np.array([new]), k=3)[0]
        print(f"GDP {new:6.1f} k$: line predicts {line:.2f}, 3-NN predicts {knn:.2f}")

    grid = np.linspace(0, 120, 121)
    xs = np.concatenate([gdp, grid, grid])
    ys = np.concatenate([sat, theta0 + theta1 * grid, knn_predict(gdp, sat, grid, k=3)])
    labels = np.concatenate([np.zeros(len(gdp)), np.ones(len(grid)), np.full(len(grid), 2)])
    report.plot("models", ys, xs, kind="scatter", labels=labels,
                title="0: countries, 1: fitted line, 2: 3-NN prediction")
