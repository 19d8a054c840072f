"""Check validation_curves, choose_degree, DIAGNOSIS, and the chosen degree on held-out data.

1. validation_curves: compared with the reference on the lesson's data and on one other
   seeded data set (rtol 1e-4: np.polyfit and numpy.polynomial.Polynomial.fit agree to
   about 1e-10 here, up to degree 10).
2. choose_degree: 5 seeded synthetic curves (training error always falling, validation
   error U-shaped with its minimum somewhere else), degree lists that do not start at 0.
3. DIAGNOSIS: degrees 1, 3 and 10 on the lesson's data (train seed 2, validation seed 1002).
   Training / validation RMSE there: 3.04 / 4.27, 0.98 / 0.99 and 0.75 / 15.45.
4. Held-out: on 4 data sets (train seeds 2, 3, 4, 10; validation seed + 1000; a test set of
   2,000 fresh points, seed + 2000) the learner's own curves pick a degree, a polynomial of
   that degree is fitted to the training points and scored on the test set.
   The reference picks degree 3 every time, with test RMSE 0.992, 1.027, 1.141, 1.039
   (over train seeds 2-11 the reference's test RMSE ranged from 0.99 to 1.23; the noise
   floor is 1.0). Degree 2 scores 2.33-2.65, degree 10 scores 12-82. Threshold: 1.35.
"""

import numpy as np

from homl_tui.checks import CheckFailed, expect_close, fail, require_function

DEGREES = list(range(1, 11))
LESSON_SEEDS = (2, 1002)
HELD_OUT_SEEDS = (2, 3, 4, 10)
TEST_THRESHOLD = 1.35
WORDS = ("underfitting", "good fit", "overfitting")
TRUTH = {1: "underfitting", 3: "good fit", 10: "overfitting"}
WHY = {
    1: "Degree 1: compare its training error with the other degrees' training errors. A model "
       "that overfits fits its own training data very well; does this one?",
    3: "Degree 3: where does its validation error sit compared with all the other degrees?",
    10: "Degree 10: compare its training error with its validation error. What does a large "
        "gap between the two tell you?",
}


def _curves(fn, x_train, y_train, x_val, y_val, where):
    out = fn(x_train.copy(), y_train.copy(), x_val.copy(), y_val.copy(), list(DEGREES))
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        fail(f"{where}: validation_curves should return two arrays (train_rmse, val_rmse); "
             f"it returned a {type(out).__name__}.")
    try:
        train, val = (np.asarray(v, dtype=float).reshape(-1) for v in out)
    except (TypeError, ValueError):
        fail(f"{where}: validation_curves should return two arrays of numbers.")
    for name, curve in (("train_rmse", train), ("val_rmse", val)):
        if curve.shape != (len(DEGREES),):
            fail(f"{where}: `{name}` has {curve.size} values for {len(DEGREES)} degrees; "
                 "return one value per degree.")
    return train, val


def _check_curves(fn, ref, make):
    for seeds in (LESSON_SEEDS, (7, 1007)):
        x_train, y_train = make(20, seeds[0])
        x_val, y_val = make(60, seeds[1])
        where = f"On the data set with seeds {seeds} (20 training, 60 validation points)"
        train, val = _curves(fn, x_train, y_train, x_val, y_val, where)
        want_train, want_val = ref(x_train, y_train, x_val, y_val, DEGREES)
        try:
            expect_close("train_rmse", train, want_train, rtol=1e-4, atol=1e-8)
        except CheckFailed as exc:
            fail(f"{where}: {exc.message} Fit each polynomial on the training points only and "
                 "measure its RMSE on those same points.")
        if np.allclose(val, want_train, rtol=1e-6):
            fail(f"{where}: your validation errors are identical to your training errors. "
                 "Each model must be scored on the validation set (x_val, y_val), points it "
                 "was not fitted on.")
        try:
            expect_close("val_rmse", val, want_val, rtol=1e-4, atol=1e-8)
        except CheckFailed as exc:
            fail(f"{where}: {exc.message} Fit on the training points, then compare the "
                 "predictions at x_val with y_val.")


def _check_choose(fn, rng):
    for number in range(1, 6):
        start = int(rng.integers(1, 4))
        degrees = list(range(start, start + int(rng.integers(5, 10))))
        k = len(degrees)
        train = np.sort(rng.uniform(0.1, 0.9, size=k))[::-1]
        best = int(rng.integers(1, k - 1))
        val = 1.0 + 0.5 * (np.arange(k) - best) ** 2 + rng.uniform(0, 0.05, k)
        got = fn(list(degrees), train.copy(), val.copy())
        where = f"On test curve #{number} (degrees {degrees[0]} to {degrees[-1]})"
        try:
            got_value = int(got)
        except (TypeError, ValueError):
            fail(f"{where}: choose_degree should return one degree (an int); it returned a "
                 f"{type(got).__name__}.")
        if got_value == degrees[best]:
            continue
        if got_value == degrees[int(np.argmin(train))]:
            fail(f"{where}: you chose the degree with the lowest training error. Training "
                 "error keeps falling as the model gets more flexible, so it always points at "
                 "the most complex model. Choose by the validation error.")
        if got_value == int(np.argmin(val)):
            fail(f"{where}: you returned a position in the list (the index of the smallest "
                 "validation error), not the degree stored at that position.")
        fail(f"{where}: you chose degree {got_value}, which is not the one with the lowest "
             "validation error.")


def _check_diagnosis(learner, ref, make):
    diagnosis = getattr(learner, "DIAGNOSIS", None)
    if not isinstance(diagnosis, dict):
        fail("Keep the dict `DIAGNOSIS` ({degree: word}) in your file.")
    x_train, y_train = make(20, LESSON_SEEDS[0])
    x_val, y_val = make(60, LESSON_SEEDS[1])
    train, val = ref(x_train, y_train, x_val, y_val, DEGREES)
    # The truth, read from the curves (guards the hard-coded TRUTH against data changes).
    i1, i3, i10 = DEGREES.index(1), DEGREES.index(3), DEGREES.index(10)
    assert DEGREES[int(np.argmin(val))] == 3
    assert train[i1] > 2 * train[i3] and val[i10] > 5 * train[i10]
    wrong = []
    for degree, truth in TRUTH.items():
        word = diagnosis.get(degree)
        if word is None:
            fail(f"DIAGNOSIS[{degree}] is still None: press Run, read the curves, and write "
                 f"one of {', '.join(WORDS)}.")
        norm = str(word).strip().lower().replace("-", " ").replace("_", " ")
        norm = {"good": "good fit", "goodfit": "good fit", "underfit": "underfitting",
                "overfit": "overfitting"}.get(norm, norm)
        if norm not in WORDS:
            fail(f"DIAGNOSIS[{degree}] is {word!r}; use one of {', '.join(WORDS)}.")
        if norm != truth:
            wrong.append(WHY[degree])
    if wrong:
        fail("Some diagnoses do not match the curves:\n- " + "\n- ".join(wrong))


def _check_held_out(curves_fn, choose_fn, make, report):
    for seed in HELD_OUT_SEEDS:
        x_train, y_train = make(20, seed)
        x_val, y_val = make(60, seed + 1000)
        x_test, y_test = make(2000, seed + 2000)
        where = f"On the data set with training seed {seed}"
        train, val = _curves(curves_fn, x_train, y_train, x_val, y_val, where)
        degree = int(choose_fn(list(DEGREES), train, val))
        if degree not in DEGREES:
            fail(f"{where}: choose_degree returned {degree}, which is not one of the degrees "
                 "it was given.")
        pred = np.polyval(np.polyfit(x_train, y_train, degree), x_test)
        test_rmse = float(np.sqrt(np.mean((pred - y_test) ** 2)))
        if seed == HELD_OUT_SEEDS[0]:
            report.plot("check_curves", val, DEGREES,
                        title="validation RMSE against degree (check data)")
        if not test_rmse <= TEST_THRESHOLD:
            fail(f"{where}: you chose degree {degree}; fitted on the training points it has "
                 f"RMSE {test_rmse:.3g} on 2,000 fresh test points, above the "
                 f"{TEST_THRESHOLD} this exercise allows. Choose the degree where the "
                 "validation error is lowest.")


def check(learner, ctx):
    curves_fn = require_function(learner, "validation_curves")
    choose_fn = require_function(learner, "choose_degree")
    make = ctx.reference.make_curve_data
    _check_curves(curves_fn, ctx.reference.validation_curves, make)
    _check_choose(choose_fn, ctx.rng(1))
    _check_diagnosis(learner, ctx.reference.validation_curves, make)
    _check_held_out(curves_fn, choose_fn, make, ctx.report)
