"""Money and happiness: line against k-NN."""

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
    # Mistake: np.polyfit returns the highest power first, i.e. (slope, intercept).
    theta0, theta1 = np.polyfit(x, y, 1)
    return float(theta0), float(theta1)


def knn_predict(x_train, y_train, x_new, k=3):
    """For every value in x_new, the mean of y_train over the k training points whose x is
    closest to it. Return an array of shape (len(x_new),)."""
    x_train = np.asarray(x_train, dtype=float)
    y_train = np.asarray(y_train, dtype=float)
    x_new = np.atleast_1d(np.asarray(x_new, dtype=float))
    distances = np.abs(x_new[:, None] - x_train[None, :])    # (m, n)
    nearest = np.argsort(distances, axis=1)[:, :k]            # (m, k) indices into x_train
    return y_train[nearest].mean(axis=1)


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
