"""Mistake: never zeroes the gradients, so they pile up from step to step.

A tiny GPT-2, trained from scratch on Python's own help text, one character at a time.

The corpus is `pydoc_data.topics.topics`, the text behind help("for"), help("with") and
friends: about 465,000 characters that ship with every Python. The first 90 % is for
training, the last 10 % is held out. The model is a real Hugging Face GPT2LMHeadModel,
built from a config (no download): 2 layers, 64-dimensional embeddings, 4 heads.
"""


import torch
from transformers import GPT2Config, GPT2LMHeadModel

from homl_tui import report
from homl_tui.runtime.device import default_device

BLOCK = 32          # characters of context the model sees
BATCH_SIZE = 32
LEARNING_RATE = 3e-3
STEPS = 200         # the check's budget; 2000 steps reach a held-out loss near 1.45


# ---- Done for you: the data. ----

def load_text():
    from pydoc_data.topics import topics
    return "\n\n".join(topics[name] for name in sorted(topics))


def build_vocab(text):
    chars = sorted(set(text))
    return chars, {ch: i for i, ch in enumerate(chars)}


def encode(text, stoi):
    return torch.tensor([stoi[ch] for ch in text], dtype=torch.long)


def decode(ids, chars):
    return "".join(chars[int(i)] for i in ids)


def split_ids(ids, train_fraction=0.9):
    """The first part for training, the rest held out: no window straddles the two."""
    cut = int(train_fraction * len(ids))
    return ids[:cut], ids[cut:]


def get_batch(ids, batch_size, block, generator=None):
    """batch_size random windows of `block` consecutive token ids, shape (batch_size, block)."""
    starts = torch.randint(len(ids) - block, (batch_size,), generator=generator)
    return torch.stack([ids[s:s + block] for s in starts.tolist()])


@torch.no_grad()
def evaluate(model, ids, block, n_windows=64):
    """Mean next-character cross-entropy (nats) over n_windows evenly spaced windows."""
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    starts = torch.linspace(0, len(ids) - block, n_windows).long().tolist()
    x = torch.stack([ids[s:s + block] for s in starts]).to(device)
    loss = model(input_ids=x, labels=x).loss.item()
    model.train(was_training)
    return loss


# ---- The model and the training loop. ----

def make_model(vocab_size, block=BLOCK):
    """A GPT2LMHeadModel with 2 layers, 64-dim embeddings, 4 heads, no dropout."""
    config = GPT2Config(
        vocab_size=vocab_size,
        n_positions=block,
        n_embd=64,
        n_layer=2,
        n_head=4,
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
        bos_token_id=0,
        eos_token_id=0,
    )
    return GPT2LMHeadModel(config)


def train(model, train_ids, val_ids, steps=STEPS, batch_size=BATCH_SIZE, block=BLOCK,
          lr=LEARNING_RATE, generator=None, device=None, eval_every=50):
    """Train with AdamW on random windows; stream `loss` every step and `val_loss` every
    eval_every steps and after the last one. Returns the list of training losses."""
    device = device or default_device()
    model.to(device)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    # Mixed precision on a GPU: autocast runs the matrix products in bfloat16 (tensor cores,
    # half the memory traffic) while the weights stay float32. bfloat16 has float32's
    # exponent range, so small gradients do not underflow and no GradScaler is needed
    # (float16 would need one). Off on the CPU: plain float32 there.
    device_type = torch.device(device).type
    use_amp = device_type == "cuda"
    losses = []
    for step in range(steps):
        x = get_batch(train_ids, batch_size, block, generator).to(device)
        with torch.autocast(device_type=device_type, dtype=torch.bfloat16, enabled=use_amp):
            loss = model(input_ids=x, labels=x).loss     # the model shifts the labels itself
        loss.backward()  # outside autocast: backward follows the dtypes of the forward pass
        optimizer.step()
        losses.append(loss.item())
        if (step + 1) % eval_every == 0 or step + 1 == steps:
            report.metric(step=step, loss=losses[-1], val_loss=evaluate(model, val_ids, block))
        else:
            report.metric(step=step, loss=losses[-1])
        report.progress(step + 1, steps)
    return losses

