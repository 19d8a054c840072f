from homl_tui import report
from homl_tui.checks import expect_at_least, expect_equal, expect_finite, require_function


def check(learner, ctx):
    spin = require_function(learner, "spin")
    with report.capture() as events:
        products = spin(seconds=0.5, size=64)
    expect_at_least("the products spin(0.5) computed", products, 10, fmt="d")
    norms = [e["values"]["norm"] for e in events
             if e["kind"] == "metric" and "norm" in e["values"]]
    expect_equal("the number of norms spin(0.5) reported", len(norms), products,
                 "Call report.metric once per product.")
    expect_finite("the norms spin(0.5) reported", [float(v) for v in norms])
