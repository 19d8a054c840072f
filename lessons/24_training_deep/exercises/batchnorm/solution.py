"""Batch normalisation from scratch: a drop-in replacement for nn.BatchNorm1d.

In training mode the layer standardises every feature with the mean and the (biased)
variance of the current batch, then scales by gamma (`weight`) and shifts by beta (`bias`).
It also keeps exponential moving averages of the batch statistics, `running_mean` and
`running_var`; in evaluation mode it uses those instead, so one example's output no longer
depends on the rest of its batch.
"""

import torch
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device


class MyBatchNorm1d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.weight = nn.Parameter(torch.ones(num_features))   # gamma, learned
        self.bias = nn.Parameter(torch.zeros(num_features))    # beta, learned
        # Buffers: saved in state_dict() and moved by .to(device), but not trained.
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x):
        if self.training:
            mean = x.mean(dim=0)
            var = x.var(dim=0, unbiased=False)
            n = x.shape[0]
            with torch.no_grad():
                m = self.momentum
                self.running_mean.mul_(1 - m).add_(m * mean)
                self.running_var.mul_(1 - m).add_(m * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        x_hat = (x - mean) / torch.sqrt(var + self.eps)
        return self.weight * x_hat + self.bias


if __name__ == "__main__":
    device = default_device()
    torch.manual_seed(0)
    mine, theirs = MyBatchNorm1d(4).to(device), nn.BatchNorm1d(4).to(device)
    g = torch.Generator().manual_seed(0)
    gaps = []
    for step in range(50):
        x = (3.0 + 2.0 * torch.randn(32, 4, generator=g)).to(device)
        gap = (mine(x) - theirs(x)).abs().max().item()
        gaps.append(gap)
        report.metric(step=step, running_mean=mine.running_mean[0].item(),
                      torch_running_mean=theirs.running_mean[0].item())
    print(f"training mode: largest gap with nn.BatchNorm1d over 50 batches: {max(gaps):.2e}")
    print("running_mean (yours): ", [round(v, 3) for v in mine.running_mean.tolist()])
    print("running_var  (yours): ", [round(v, 3) for v in mine.running_var.tolist()])
    mine.eval()
    theirs.eval()
    x = (3.0 + 2.0 * torch.randn(5, 4, generator=g)).to(device)
    print(f"eval mode: largest gap {(mine(x) - theirs(x)).abs().max().item():.2e}")
    one = mine(x[:1])
    print("eval mode, same example alone or in a batch:",
          torch.allclose(one, mine(x)[:1]))
