"""A tiny GPT-2, trained from scratch on Python's own help text, one character at a time.

The corpus is `pydoc_data.topics.topics`, the text behind help("for"), help("with") and
friends: about 465,000 characters that ship with every Python. The first 90 % is for
training, the last 10 % is held out. The model is a real Hugging Face GPT2LMHeadModel,
built from a config (no download): 2 layers, 64-dimensional embeddings, 4 heads.
"""

import time

import torch
from transformers import GPT2Config, GPT2LMHeadModel  # noqa: F401

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
    # TODO 1: build a transformers.GPT2Config with
    #           vocab_size=vocab_size, n_positions=block (the longest context it will see),
    #           n_embd=64, n_layer=2, n_head=4,
    #           resid_pdrop, embd_pdrop and attn_pdrop all 0.0 (dropout only slows down
    #           such a short run), and bos_token_id=eos_token_id=0 (our vocabulary has no
    #           special tokens; GPT-2's default 50256 is out of range and makes a warning).
    #         Return GPT2LMHeadModel(config): randomly initialised, nothing is downloaded.
    raise NotImplementedError("make_model: fill in the TODO")


def train(model, train_ids, val_ids, steps=STEPS, batch_size=BATCH_SIZE, block=BLOCK,
          lr=LEARNING_RATE, generator=None, device=None, eval_every=50):
    """Train with AdamW on random windows; stream `loss` every step and `val_loss` every
    eval_every steps and after the last one. Returns the list of training losses."""
    device = device or default_device()
    model.to(device)
    model.train()
    # TODO 2: an AdamW optimizer over model.parameters() with learning rate lr.
    losses = []
    # TODO 3: for every step:
    #           - x = get_batch(train_ids, batch_size, block, generator), moved to device
    #           - the loss: GPT2LMHeadModel computes the next-token loss when given labels.
    #             Read its documentation on how labels are shifted before you decide
    #             what to pass as input_ids and as labels.
    #           - clear old gradients, backpropagate, take an optimizer step
    #           - append loss.item() to losses
    #         Recommended (optional on the CPU, where it stays off): mixed precision. Compute
    #         the loss inside
    #             with torch.autocast(device_type=torch.device(device).type,
    #                                 dtype=torch.bfloat16, enabled=<device type is "cuda">):
    #         and call backward() after the block (see "Mixed precision" in the lesson).
    # TODO 4: stream it: on steps where (step + 1) % eval_every == 0, and on the last step,
    #             report.metric(step=step, loss=..., val_loss=evaluate(model, val_ids, block))
    #         on the others report.metric(step=step, loss=...);
    #         and report.progress(step + 1, steps) at every step.
    raise NotImplementedError("train: fill in the TODOs")

if __name__ == "__main__":
    device = default_device()
    text = load_text()
    chars, stoi = build_vocab(text)
    train_ids, val_ids = split_ids(encode(text, stoi))
    print(f"{len(text):,} characters, vocabulary of {len(chars)}; "
          f"{len(train_ids):,} for training, {len(val_ids):,} held out")
    torch.manual_seed(0)
    model = make_model(len(chars))
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters, training on {device}")
    g = torch.Generator().manual_seed(0)
    start = time.time()
    losses = train(model, train_ids, val_ids, generator=g, device=device)
    print(f"{STEPS} steps in {time.time() - start:.0f} s; "
          f"held-out loss {evaluate(model, val_ids, BLOCK):.3f} nats per character")

    # Sampling: draw the next character from the softmax of the last logits, append, repeat.
    # The context is cut to the last BLOCK characters (the model has BLOCK positions).
    model.eval()
    ids = encode("The \"for\" statement", stoi)[None].to(device)
    g_sample = torch.Generator(device=device).manual_seed(1)
    with torch.no_grad():
        for _ in range(300):
            logits = model(input_ids=ids[:, -BLOCK:]).logits[:, -1]
            probs = torch.softmax(logits / 0.8, dim=-1)
            next_id = torch.multinomial(probs, 1, generator=g_sample)
            ids = torch.cat([ids, next_id], dim=1)
    print("--- a sample (temperature 0.8) ---")
    print(decode(ids[0].tolist(), chars))
    report.plot("training loss", losses, kind="line", xlabel="step")
