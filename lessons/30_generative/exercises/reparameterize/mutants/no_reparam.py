"""Mutant: samples z directly from N(mu, std) with torch.normal, so no gradient reaches mu or log_var.

The reparameterisation trick of a variational autoencoder.

The encoder of a VAE outputs, for every input, the mean `mu` and the log-variance `log_var`
of a Gaussian over codes. To train it by backpropagation, the random draw must be written as
a deterministic function of mu and log_var plus noise that does not depend on them:

    z = mu + exp(0.5 * log_var) * eps,      eps ~ N(0, I)
"""

import torch

from homl_tui import report


def reparameterize(mu, log_var, generator=None):
    """One sample z ~ N(mu, exp(log_var)) per entry, differentiable with respect to mu and
    log_var. eps is drawn from `generator` (a CPU torch.Generator, or None for torch's
    global one) and moved to mu's device."""
    std = torch.exp(0.5 * log_var)
    return torch.normal(mu, std, generator=generator)


if __name__ == "__main__":
    g = torch.Generator().manual_seed(0)
    mu = torch.tensor([1.0, -2.0], requires_grad=True)
    log_var = torch.tensor([0.0, -2.0], requires_grad=True)

    z = reparameterize(mu.expand(5000, 2), log_var.expand(5000, 2), g)
    print("sample mean", [round(v, 3) for v in z.mean(dim=0).tolist()], " (mu = [1, -2])")
    print("sample std ", [round(v, 3) for v in z.std(dim=0).tolist()],
          " (exp(0.5 * log_var) =", [round(v, 3) for v in torch.exp(0.5 * log_var).tolist()], ")")

    # The point of the trick: a loss on z sends gradients back to mu and log_var.
    loss = (z ** 2).mean()
    loss.backward()
    print("d loss / d mu      =", [round(v, 4) for v in mu.grad.tolist()])
    print("d loss / d log_var =", [round(v, 4) for v in log_var.grad.tolist()])
    report.plot("samples", z[:1000, 1].detach(), z[:1000, 0].detach(), kind="scatter",
                title="1,000 draws of z", xlabel="z[0]", ylabel="z[1]")
