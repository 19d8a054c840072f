"""Mutant: returns the saved step plus one, "the next step", and so skips a step.

Checkpoints that resume exactly: save everything a training run depends on, load it back.

A run that is stopped and resumed from a checkpoint should end with the very same weights as
a run that was never interrupted. That needs more than the model's weights: the optimizer's
state (Adam's moment estimates and step count), the number of steps already done, and the
state of every random generator the loop draws from (the data order, dropout).

Press Run for a longer training on the digits (under a minute on a laptop CPU). It
checkpoints after every epoch. Stop it (x on the runs screen, F6, or `homl-tui runs stop ID`)
and resume it (r on the runs screen, or `homl-tui runs resume ID`): it says where it picks up,
and it ends with the same weights fingerprint as a run that was never stopped.
"""

import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.nn import functional as F

from homl_tui import report
from homl_tui.runtime.device import default_device

EPOCHS = 30
BATCH_SIZE = 32
LEARNING_RATE = 1e-3
HIDDEN = 512


# ---- Done for you: data, model, one stretch of training, evaluation. ----

def load_digit_split(seed=0):
    """(X_train, y_train), (X_test, y_test): 80 % / 20 % of the digits, pixels in [0, 1]."""
    digits = load_digits()
    X = torch.tensor(digits.data / 16.0, dtype=torch.float32)
    y = torch.tensor(digits.target)
    order = torch.randperm(len(X), generator=torch.Generator().manual_seed(seed))
    cut = int(0.8 * len(X))
    return (X[order[:cut]], y[order[:cut]]), (X[order[cut:]], y[order[cut:]])


def make_model(hidden=HIDDEN, p=0.3):
    """An MLP with batch norm (running statistics are buffers) and dropout (random masks)."""
    return nn.Sequential(
        nn.Linear(64, hidden), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Dropout(p),
        nn.Linear(hidden, hidden), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Dropout(p),
        nn.Linear(hidden, 10),
    )


def train_steps(model, optimizer, generator, X, y, first, last, batch_size=BATCH_SIZE,
                device="cpu"):
    """Take the optimizer steps first, first + 1, ..., last - 1 on random minibatches.

    The minibatch of each step is drawn with `generator` (the data order); dropout draws its
    masks from torch's global generator. Returns the list of the steps' losses.
    """
    model.train()
    losses = []
    for step in range(first, last):
        idx = torch.randint(len(X), (batch_size,), generator=generator)
        loss = F.cross_entropy(model(X[idx].to(device)), y[idx].to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        report.metric(step=step, train_loss=losses[-1])
    return losses


@torch.no_grad()
def accuracy(model, X, y):
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    acc = (model(X.to(device)).argmax(1).cpu() == y).float().mean().item()
    model.train(was_training)
    return acc


def fingerprint(model):
    """A number that changes if any weight or buffer changes (to compare two runs)."""
    return sum(t.double().sum().item() * (i + 1)
               for i, t in enumerate(model.state_dict().values()))


# ---- Your part. ----

def save_state(model, optimizer, step, generator):
    """Everything needed to continue training exactly, as a dict of tensors and numbers."""
    state = {
        "model": model.state_dict(),           # parameters AND buffers (batch-norm statistics)
        "optimizer": optimizer.state_dict(),   # Adam's moments and step count, the lr, ...
        "step": int(step),                     # steps already done = the next step to take
        "data_rng": generator.get_state(),     # the data order
        "torch_rng": torch.get_rng_state(),    # dropout masks (on the CPU)
    }
    if torch.cuda.is_available():
        state["cuda_rng"] = torch.cuda.get_rng_state_all()   # dropout masks on the GPU
    return state


def load_state(state, model, optimizer, generator):
    """Put a state from save_state back into model, optimizer and generator (in place);
    return the step to continue from."""
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    generator.set_state(state["data_rng"])
    torch.set_rng_state(state["torch_rng"])
    if "cuda_rng" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda_rng"])
    return int(state["step"]) + 1   # the step after the last one done


if __name__ == "__main__":
    device = default_device()
    (X_train, y_train), (X_test, y_test) = load_digit_split()
    steps_per_epoch = len(X_train) // BATCH_SIZE
    total_steps = EPOCHS * steps_per_epoch

    # A fresh process always starts the same way; a checkpoint then overwrites the state.
    torch.manual_seed(0)
    model = make_model().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    generator = torch.Generator().manual_seed(0)
    report.config(epochs=EPOCHS, batch_size=BATCH_SIZE, lr=LEARNING_RATE, hidden=HIDDEN)

    step = 0
    resumed = report.load_checkpoint()
    if resumed is not None:
        saved_state, _ = resumed
        step = load_state(saved_state, model, optimizer, generator)
        print(f"resumed from step {step} (epoch {step // steps_per_epoch} of {EPOCHS})")
    else:
        print(f"starting from scratch: {EPOCHS} epochs of {steps_per_epoch} steps on {device}")

    while step < total_steps:
        epoch_end = (step // steps_per_epoch + 1) * steps_per_epoch
        losses = train_steps(model, optimizer, generator, X_train, y_train, step, epoch_end,
                             device=device)
        step = epoch_end
        epoch = step // steps_per_epoch
        test_acc = accuracy(model, X_test, y_test)
        report.metric(step=step - 1, test_acc=test_acc)
        report.progress(step * BATCH_SIZE, total_steps * BATCH_SIZE, unit="samples")
        report.save_checkpoint(save_state(model, optimizer, step, generator), step)
        if epoch % 5 == 0 or epoch == EPOCHS:
            print(f"epoch {epoch:3d}  step {step:5d}  loss {sum(losses) / len(losses):.4f}  "
                  f"test accuracy {test_acc:.3f}", flush=True)

    print(f"done: test accuracy {accuracy(model, X_test, y_test):.3f}")
    print(f"weights fingerprint {fingerprint(model):.10g} (the same whether or not the run "
          "was stopped and resumed, on the same device)")
