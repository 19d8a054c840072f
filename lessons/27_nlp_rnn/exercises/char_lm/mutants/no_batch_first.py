"""Mutant: the GRU is built without batch_first=True, but gets (batch, time, features) inputs.

A character-level language model: embedding -> GRU -> linear, trained with a live loss."""

import math

import torch
import torch.nn.functional as F
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device

# The fast setting (the check trains this): a few seconds on a laptop CPU.
EMBED_DIM, HIDDEN_SIZE = 16, 64
SEQ_LEN, BATCH_SIZE, STEPS, LR = 32, 32, 150, 1e-2
# The full setting (about a minute on a laptop CPU): EMBED_DIM, HIDDEN_SIZE = 32, 128;
# SEQ_LEN, BATCH_SIZE, STEPS, LR = 64, 32, 1000, 3e-3 (held-out loss about 1.6).


# ---- Done for you: the earlier exercises of this lesson. ----

def load_corpus(n_chars=200_000):
    """A fixed slice of the help pages that ship with Python (what `help("assert")` shows)."""
    from pydoc_data.topics import topics

    return "\n".join(topics[name] for name in sorted(topics))[:n_chars]


def build_vocab(text):
    chars = sorted(set(text))
    return chars, {ch: i for i, ch in enumerate(chars)}


def encode(text, stoi):
    return torch.tensor([stoi[ch] for ch in text], dtype=torch.long)


def make_pairs(ids, seq_len):
    n = (len(ids) - 1) // seq_len
    return ids[: n * seq_len].reshape(n, seq_len), ids[1: n * seq_len + 1].reshape(n, seq_len)


def sample_batch(X, Y, batch_size, generator):
    rows = torch.randint(0, len(X), (batch_size,), generator=generator)
    return X[rows], Y[rows]


# ---- The model, the loss on held-out text, and the training loop: your part. ----

class CharRNN(nn.Module):
    """ids (batch, time) -> logits (batch, time, vocab_size) for the NEXT character."""

    def __init__(self, vocab_size, embed_dim=EMBED_DIM, hidden_size=HIDDEN_SIZE):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim)
        self.rnn = nn.GRU(embed_dim, hidden_size)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, x, h=None):
        """x: int64 (batch, time); h: the state to start from (None = zeros).
        Returns (logits of shape (batch, time, vocab_size), the final state)."""
        outputs, h = self.rnn(self.embed(x), h)
        return self.head(outputs), h


def evaluate(model, X, Y, batch_size=256):
    """Mean cross-entropy per character (a float, in nats) of the model on rows X -> Y."""
    device = next(model.parameters()).device
    total, count = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(X), batch_size):
            xb = X[start:start + batch_size].to(device)
            yb = Y[start:start + batch_size].to(device)
            logits, _ = model(xb)
            total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), yb.reshape(-1),
                                     reduction="sum").item()
            count += yb.numel()
    return total / count


def train_lm(model, X, Y, X_val, Y_val, steps=STEPS, batch_size=BATCH_SIZE, lr=LR,
             generator=None, eval_every=50, on_eval=None):
    """Train with Adam on random batches; stream the loss at every step and the held-out
    loss every `eval_every` steps; return the list of training losses (one float per step).
    After every evaluation, call on_eval(step, val_loss) if it is given."""
    device = next(model.parameters()).device
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for step in range(steps):
        xb, yb = sample_batch(X, Y, batch_size, generator)
        xb, yb = xb.to(device), yb.to(device)
        logits, _ = model(xb)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), yb.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
        if (step + 1) % eval_every == 0 or step + 1 == steps:
            val_loss = evaluate(model, X_val, Y_val)
            report.metric(step=step, loss=losses[-1], val_loss=val_loss)
            report.progress(step + 1, steps)
            if on_eval is not None:
                on_eval(step, val_loss)
        else:
            report.metric(step=step, loss=losses[-1])
    return losses


# ---- Done for you: generating text (the next exercise looks at temperature). ----

def generate(model, prompt, n, chars, stoi, generator, temperature=1.0):
    """Feed `prompt`, then sample n characters one at a time, carrying the GRU state."""
    device = next(model.parameters()).device
    model.eval()
    out = []
    with torch.no_grad():
        logits, h = model(encode(prompt, stoi)[None].to(device))
        for _ in range(n):
            probs = torch.softmax(logits[0, -1].cpu() / temperature, dim=-1)
            nxt = torch.multinomial(probs, 1, generator=generator)
            out.append(chars[int(nxt)])
            logits, h = model(nxt[None].to(device), h)
    model.train()
    return prompt + "".join(out)


if __name__ == "__main__":
    device = default_device()
    text = load_corpus()
    chars, stoi = build_vocab(text)
    ids = encode(text, stoi)
    split = int(0.9 * len(ids))
    X, Y = make_pairs(ids[:split], SEQ_LEN)
    X_val, Y_val = make_pairs(ids[split:], SEQ_LEN)
    print(f"vocabulary {len(chars)}, {len(X)} training rows of {SEQ_LEN}, device {device}")
    print(f"a model that knows nothing scores ln({len(chars)}) = {math.log(len(chars)):.2f} "
          "nats per character")

    torch.manual_seed(0)
    model = CharRNN(len(chars)).to(device)
    g = torch.Generator().manual_seed(0)

    def show(step, val_loss):
        sample = generate(model, "The ", 120, chars, stoi, torch.Generator().manual_seed(1))
        print(f"\n--- step {step + 1}: held-out loss {val_loss:.3f} nats/char "
              f"(perplexity {math.exp(val_loss):.1f}) ---\n{sample}", flush=True)

    losses = train_lm(model, X, Y, X_val, Y_val, generator=g, on_eval=show)
    report.plot("training loss", losses, kind="line", title="loss per character, each step")
