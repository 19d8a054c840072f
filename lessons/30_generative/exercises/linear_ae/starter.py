"""A linear autoencoder on a 3-D point cloud that lies near a plane.

Press Run to train it and compare it with PCA; Check to test it.

With no activation function and a mean squared error, an autoencoder can only learn a linear
projection, and the best one it can find is the one PCA finds: the decoder's columns span the
same plane as the first principal components.
"""

import torch
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device

# TODO 1: how many numbers should the code of each 3-D point hold? Look at how the cloud is
#         built below (make_plane_cloud) and pick the smallest size that keeps almost
#         everything.
CODE_SIZE = None
EPOCHS = 60
BATCH_SIZE = 32
LR = 0.02


# ---- Done for you: the data. ----

def make_plane_cloud(n, generator):
    """n points (n, 3) near a tilted plane through (2, -1, 3): spread 2.0 and 0.8 along the
    plane, 0.05 across it."""
    mean = torch.tensor([2.0, -1.0, 3.0])
    basis = torch.linalg.qr(torch.tensor([[1.0, 0.3], [0.5, -1.0], [-0.4, 0.6]]))[0]
    normal = torch.linalg.cross(basis[:, 0], basis[:, 1])
    coords = torch.randn(n, 2, generator=generator) * torch.tensor([2.0, 0.8])
    across = 0.05 * torch.randn(n, 1, generator=generator)
    return mean + coords @ basis.T + across * normal


# ---- This exercise. ----

class LinearAutoencoder(nn.Module):
    """x (n, n_inputs) -> code (n, code_size) -> reconstruction (n, n_inputs), no activations."""

    def __init__(self, n_inputs, code_size):
        super().__init__()
        # TODO 2: an encoder n_inputs -> code_size and a decoder code_size -> n_inputs,
        #         each a single nn.Linear layer. No activation functions anywhere.
        raise NotImplementedError("LinearAutoencoder.__init__: fill in the TODO")

    def encode(self, x):
        # TODO 3: (n, n_inputs) -> (n, code_size)
        raise NotImplementedError("LinearAutoencoder.encode: fill in the TODO")

    def decode(self, code):
        # TODO 4: (n, code_size) -> (n, n_inputs)
        raise NotImplementedError("LinearAutoencoder.decode: fill in the TODO")

    def forward(self, x):
        # TODO 5: encode, then decode.
        raise NotImplementedError("LinearAutoencoder.forward: fill in the TODO")


def train_autoencoder(model, X, epochs=EPOCHS, batch_size=BATCH_SIZE, lr=LR, generator=None,
                      device=None):
    """Minimise the reconstruction MSE with Adam on shuffled minibatches; stream the loss at
    every step; return the list of per-step losses."""
    device = device or default_device()
    model.to(device)
    # TODO 6: an Adam optimizer over model.parameters() with learning rate lr.
    # TODO 7: for every epoch, shuffle with torch.randperm(len(X), generator=generator) and go
    #         through X in batches of batch_size (move each batch to `device`). For each batch:
    #           - the loss is the MSE between model(batch) and the batch itself
    #           - zero_grad, backward, step
    #           - append loss.item() to `losses` and stream it:
    #                 report.metric(step=step, loss=loss.item()); step += 1
    #         and after each epoch: report.progress(epoch + 1, epochs)
    # TODO 8: return losses
    raise NotImplementedError("train_autoencoder: fill in the TODOs")


if __name__ == "__main__":
    if CODE_SIZE is None:
        raise SystemExit("Set CODE_SIZE at the top of the file first (TODO 1).")
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    X_train, X_test = make_plane_cloud(600, g), make_plane_cloud(400, g)
    model = LinearAutoencoder(3, CODE_SIZE)
    losses = train_autoencoder(model, X_train, generator=g)
    model.cpu()

    # PCA on the training set, for comparison: centre, SVD, keep CODE_SIZE directions.
    mean = X_train.mean(dim=0)
    V = torch.linalg.svd(X_train - mean, full_matrices=False)[2][:CODE_SIZE].T     # (3, k)
    with torch.no_grad():
        ae_mse = ((model(X_test) - X_test) ** 2).mean().item()
        pca_mse = (((X_test - mean) @ V @ V.T + mean - X_test) ** 2).mean().item()
        codes = model.encode(X_test)
    Q = torch.linalg.qr(model.decoder.weight.detach())[0]                       # (3, k)
    gap = torch.linalg.matrix_norm(Q @ Q.T - V @ V.T, ord=2).item()
    print(f"held-out reconstruction MSE: autoencoder {ae_mse:.5f}, PCA {pca_mse:.5f}")
    print(f"sine of the largest angle between the two subspaces: {gap:.4f} (0 = same plane)")
    if CODE_SIZE >= 2:
        report.plot("codes", codes[:, 1], codes[:, 0], kind="scatter",
                    title="the 2-D codes of the test points", xlabel="code 0", ylabel="code 1")
