"""Mutant: sums over the batch axis (dim=0) instead of the code axis.

The KL term of a VAE's loss, for a diagonal Gaussian against the standard normal prior.

For q = N(mu, diag(sigma**2)) with sigma**2 = exp(log_var) and the prior p = N(0, I):

    KL(q || p) = 0.5 * sum_j (exp(log_var_j) + mu_j**2 - 1 - log_var_j)

summed over the code dimensions j: one number per example.
"""

import torch

from homl_tui import report


def kl_to_standard_normal(mu, log_var):
    """KL(N(mu, exp(log_var)) || N(0, I)) for each row: mu and log_var have shape
    (batch, code_size); the result has shape (batch,)."""
    return 0.5 * (log_var.exp() + mu ** 2 - 1.0 - log_var).sum(dim=0)


if __name__ == "__main__":
    from torch.distributions import Normal, kl_divergence

    mu = torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 0.0], [2.0, -1.0]])
    log_var = torch.tensor([[0.0, 0.0], [0.0, 0.0], [-2.0, 1.0], [-1.0, -1.0]])
    mine = kl_to_standard_normal(mu, log_var)
    q, p = Normal(mu, torch.exp(0.5 * log_var)), Normal(0.0, 1.0)
    library = kl_divergence(q, p).sum(dim=-1)
    for row in range(len(mu)):
        print(f"mu={mu[row].tolist()}, log_var={log_var[row].tolist()}: "
              f"KL {mine[row].item():.4f}  (torch.distributions: {library[row].item():.4f})")

    # How the penalty grows as one code coordinate moves away from the prior.
    shifts = torch.linspace(-3, 3, 61)
    curves = {f"log_var={lv:g}": kl_to_standard_normal(shifts[:, None],
                                                         torch.full((61, 1), float(lv)))
              for lv in (-2, 0, 1)}
    first = next(iter(curves))
    report.plot("kl", curves[first], shifts, kind="line", title="KL of one coordinate vs mu",
                xlabel="mu", ylabel="KL",
                overlay={name: (shifts, kl) for name, kl in list(curves.items())[1:]})
