"""Under- and overfitting: polynomial degree against training and validation error."""

import numpy as np

from homl_tui import report

DEGREES = list(range(1, 11))

# What the curves say about three of the degrees: "underfitting", "good fit" or "overfitting".
DIAGNOSIS = {1: "underfitting", 3: "good fit", 10: "overfitting"}


# ---- Done for you: a small curved data set and the error measure. ----

def make_curve_data(n, seed):
    """n points (x, y): y is a fixed cubic function of x plus Gaussian noise of std 1."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3.0, 3.0, size=n)
    y = 0.5 * x ** 3 - x ** 2 - 2.0 * x + 1.0 + rng.normal(0.0, 1.0, size=n)
    return x, y


def rmse(y_true, y_pred):
    return float(np.sqrt(np.mean((np.asarray(y_pred) - np.asarray(y_true)) ** 2)))


# ---- Your part. ----

def validation_curves(x_train, y_train, x_val, y_val, degrees):
    """For every degree, fit a polynomial of that degree to the training data (least squares)
    and measure its RMSE on the training data and on the validation data.
    Return two arrays of len(degrees) values: (train_rmse, val_rmse)."""
    train_rmse, val_rmse = [], []
    for degree in degrees:
        coefs = np.polyfit(x_train, y_train, degree)
        train_rmse.append(rmse(y_train, np.polyval(coefs, x_train)))
        val_rmse.append(rmse(y_val, np.polyval(coefs, x_val)))
    return np.array(train_rmse), np.array(val_rmse)


def choose_degree(degrees, train_rmse, val_rmse):
    """The degree (an element of `degrees`) whose model has the lowest validation RMSE."""
    return int(degrees[int(np.argmin(val_rmse))])


if __name__ == "__main__":
    x_train, y_train = make_curve_data(20, seed=2)
    x_val, y_val = make_curve_data(60, seed=1002)
    train_rmse, val_rmse = validation_curves(x_train, y_train, x_val, y_val, DEGREES)
    print("degree   train RMSE   validation RMSE")
    for degree, tr, va in zip(DEGREES, train_rmse, val_rmse, strict=True):
        print(f"{degree:6d}   {tr:10.3f}   {va:15.3f}")
        report.metric(step=degree, train_rmse=tr, val_rmse=va)
    best = choose_degree(DEGREES, train_rmse, val_rmse)
    print(f"chosen degree: {best}   your diagnosis: {DIAGNOSIS}")

    report.plot("train_curve", train_rmse, DEGREES, title="training RMSE against degree")
    report.plot("val_curve", val_rmse, DEGREES, title="validation RMSE against degree")
    grid = np.linspace(-3, 3, 121)
    xs = np.concatenate([x_train] + [grid] * 3)
    ys = np.concatenate([y_train] + [np.polyval(np.polyfit(x_train, y_train, d), grid)
                                     for d in (1, best, DEGREES[-1])])
    labels = np.repeat([0, 1, 2, 3], [len(x_train)] + [len(grid)] * 3)
    report.plot("fits", np.clip(ys, -20, 20), xs, kind="scatter", labels=labels,
                title=f"0: training data, 1: degree 1, 2: degree {best}, 3: degree {DEGREES[-1]}")
