"""A softmax that survives very large and very small inputs.

softmax(z)_i = exp(z_i) / sum_j exp(z_j), taken along one axis of an array: for a batch of
logits of shape (batch, classes), softmax(z, axis=-1) turns every ROW into probabilities.

The formula as written breaks down: np.exp(1000.0) is inf, and np.exp(-1000.0) is 0.0.
Your version must give finite, correct probabilities for inputs around +1000 and -1000.
"""

import numpy as np
from homl_tui import report


def softmax(z, axis=-1):
    """Probabilities along `axis`: non-negative, summing to 1 along that axis."""
    # TODO 1: find the largest value along `axis` (keep that axis, with keepdims=True).
    # TODO 2: subtract it from z before exponentiating: the result is unchanged
    #         mathematically, but now the largest exponent is exp(0) = 1.
    # TODO 3: divide by the sum along `axis` (keepdims again) and return.
    raise NotImplementedError("softmax: fill in the TODOs")


if __name__ == "__main__":
    # Press Run: the same logits at three "temperatures", plus an extreme input.
    logits = np.array([2.0, 1.0, 0.1, -1.0, 3.0])
    for temperature in (0.5, 1.0, 5.0):
        probs = softmax(logits / temperature)
        print(f"T={temperature}: {np.round(probs, 3)}  (sum {probs.sum():.6f})")
        report.plot(f"softmax at T={temperature}", probs, [f"class {i}" for i in range(5)],
                    kind="bar")
    print("extreme:", softmax(np.array([[1000.0, 999.0], [-1000.0, -1001.0]])))
