"""Mutant: translate does not carry the decoder state: every step starts again from the encoder's state.

Capstone: translate dates ("April 22, 2019" -> "2019-04-22") with an encoder-decoder
and attention."""

import datetime

import torch
import torch.nn.functional as F
from torch import nn

from homl_tui import report
from homl_tui.runtime.device import default_device

# The fast setting (the check trains this; about 10 s on a laptop CPU). With STEPS = 600
# the model makes almost no mistakes at all.
STEPS, BATCH_SIZE, LR = 150, 64, 1e-2
EMBED_DIM, HIDDEN_SIZE = 16, 32


# ---- Done for you: the data. ----

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def format_date(d, style):
    """One of six ways people write the date d."""
    month = MONTHS[d.month - 1]
    return [f"{month} {d.day}, {d.year}", f"{month[:3]} {d.day} {d.year}",
            f"{d.day} {month} {d.year}", f"{d.day:02d}.{d.month:02d}.{d.year}",
            f"{month.lower()} {d.day}, {d.year}", f"{d.day} {month[:3].upper()} {d.year}"][style]


def random_dates(n, generator):
    """n pairs (written date, ISO date), days between 1900 and 2099, drawn from `generator`."""
    first = datetime.date(1900, 1, 1).toordinal()
    last = datetime.date(2099, 12, 31).toordinal()
    days = torch.randint(first, last + 1, (n,), generator=generator).tolist()
    styles = torch.randint(0, 6, (n,), generator=generator).tolist()
    pairs = []
    for day, style in zip(days, styles, strict=True):
        d = datetime.date.fromordinal(day)
        pairs.append((format_date(d, style), d.isoformat()))
    return pairs


_LETTERS = "".join(MONTHS)
SRC_CHARS = ["<pad>"] + sorted(set(" ,.0123456789" + _LETTERS + _LETTERS.lower() + _LETTERS.upper()))
TGT_CHARS = ["<bos>"] + list("0123456789-")
PAD, BOS, OUT_LEN = 0, 0, 10        # <pad> is source id 0, <bos> is target id 0


def encode_batch(pairs):
    """Tensors for a list of pairs: src (B, S) padded with PAD, mask (B, S) True where src is
    a real character, and tgt (B, 10), the ids of the ISO dates."""
    src_stoi = {c: i for i, c in enumerate(SRC_CHARS)}
    tgt_stoi = {c: i for i, c in enumerate(TGT_CHARS)}
    S = max(len(s) for s, _ in pairs)
    src = torch.full((len(pairs), S), PAD, dtype=torch.long)
    for i, (s, _) in enumerate(pairs):
        src[i, :len(s)] = torch.tensor([src_stoi[c] for c in s])
    tgt = torch.tensor([[tgt_stoi[c] for c in t] for _, t in pairs], dtype=torch.long)
    return src, src != PAD, tgt


def attention(queries, keys, values, mask=None):
    """Scaled dot-product attention (the previous exercise)."""
    scores = queries @ keys.transpose(1, 2) / queries.shape[-1] ** 0.5
    if mask is not None:
        scores = scores.masked_fill(~mask[:, None, :], float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return weights @ values, weights


# ---- The model and its training: your part. ----

def decoder_inputs(tgt):
    """Teacher forcing: what the decoder reads while it learns to write tgt (B, T).
    Position t gets the previous target character, tgt[:, t - 1], and position 0 gets BOS."""
    bos = torch.full_like(tgt[:, :1], BOS)
    return torch.cat([bos, tgt[:, :-1]], dim=1)


class DateTranslator(nn.Module):
    def __init__(self, embed_dim=EMBED_DIM, hidden_size=HIDDEN_SIZE):
        super().__init__()
        self.src_embed = nn.Embedding(len(SRC_CHARS), embed_dim, padding_idx=PAD)
        self.encoder = nn.GRU(embed_dim, hidden_size, batch_first=True, bidirectional=True)
        self.tgt_embed = nn.Embedding(len(TGT_CHARS), embed_dim)
        self.decoder = nn.GRU(embed_dim, 2 * hidden_size, batch_first=True)
        self.out = nn.Linear(4 * hidden_size, len(TGT_CHARS))

    def encode(self, src):
        """src (B, S) -> (enc_out (B, S, 2H): one vector per source character,
        h (1, B, 2H): the final forward and backward states side by side)."""
        enc_out, h = self.encoder(self.src_embed(src))
        return enc_out, torch.cat([h[0], h[1]], dim=-1)[None]

    def decode(self, enc_out, mask, dec_in, h):
        """Run the decoder over dec_in (B, T) from state h; every decoder output attends over
        enc_out (padding masked). Returns (logits (B, T, len(TGT_CHARS)), the new state h)."""
        dec_out, h = self.decoder(self.tgt_embed(dec_in), h)
        context, _ = attention(dec_out, enc_out, enc_out, mask)
        return self.out(torch.cat([dec_out, context], dim=-1)), h

    def forward(self, src, mask, dec_in):
        enc_out, h = self.encode(src)
        logits, _ = self.decode(enc_out, mask, dec_in, h)
        return logits


def translate(model, src, mask, length=OUT_LEN):
    """Greedy decoding: start from BOS, then feed every predicted id back in, carrying the
    decoder state, for `length` steps. Returns the predicted ids, (B, length) int64."""
    with torch.no_grad():
        enc_out, h = model.encode(src)
        step_in = torch.full((src.shape[0], 1), BOS, dtype=torch.long, device=src.device)
        outputs = []
        for _ in range(length):
            logits, _ = model.decode(enc_out, mask, step_in, h)
            step_in = logits[:, -1].argmax(dim=-1, keepdim=True)
            outputs.append(step_in)
    return torch.cat(outputs, dim=1)


def train_dates(model, steps=STEPS, batch_size=BATCH_SIZE, lr=LR, generator=None):
    """Adam on fresh random dates at every step (drawn from `generator`), with teacher
    forcing; stream the loss at every step; return the list of losses."""
    device = next(model.parameters()).device
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for step in range(steps):
        src, mask, tgt = (t.to(device) for t in encode_batch(random_dates(batch_size, generator)))
        logits = model(src, mask, decoder_inputs(tgt))
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
        report.metric(step=step, loss=losses[-1])
        if (step + 1) % 10 == 0:
            report.progress(step + 1, steps)
    return losses


# ---- Done for you: scoring and pictures. ----

def exact_match(model, pairs):
    """The fraction of pairs whose whole ISO date comes out right."""
    device = next(model.parameters()).device
    src, mask, tgt = encode_batch(pairs)
    pred = translate(model, src.to(device), mask.to(device)).cpu()
    return (pred == tgt).all(dim=1).float().mean().item()


def to_text(ids):
    return "".join(TGT_CHARS[int(i)] for i in ids)


if __name__ == "__main__":
    device = default_device()
    for source, target in random_dates(5, torch.Generator().manual_seed(1)):
        print(f"{source!r:24} -> {target!r}")
    torch.manual_seed(0)
    model = DateTranslator().to(device)
    losses = train_dates(model, generator=torch.Generator().manual_seed(0))
    test = random_dates(1000, torch.Generator().manual_seed(123))
    model.eval()
    print(f"\nexact match on 1000 new dates: {exact_match(model, test):.1%}")
    tricky = [("July 4, 1976", "1976-07-04"), ("31 DEC 2099", "2099-12-31"),
              ("sep 9 1909", "1909-09-09"), ("01.02.2003", "2003-02-01")]
    src, mask, _ = encode_batch(tricky)
    for (source, target), ids in zip(tricky, translate(model, src.to(device), mask.to(device)),
                                     strict=True):
        print(f"{source!r:16} -> {to_text(ids)!r}  (right: {target!r})")
    # Where does the decoder look while it writes "1976-07-04"? One row per output character.
    src, mask, tgt = (t.to(device) for t in encode_batch(tricky[:1]))
    with torch.no_grad():
        enc_out, h = model.encode(src)
        dec_out, _ = model.decoder(model.tgt_embed(decoder_inputs(tgt)), h)
        _, weights = attention(dec_out, enc_out, enc_out, mask)
    report.plot("attention", weights[0].cpu(), list(tricky[0][0]), kind="matrix",
                title="rows: output characters of 1976-07-04; columns: input characters",
                xlabel="input", ylabel="output")
