"""Byte-level multiplicative LSTM (Krause et al. 2016; Radford et al. 2017,
"Learning to generate reviews and discovering sentiment"). PyTorch twin of
src/engine/ops/mlstm.ts and src/models/mlstm/mlstm.ts: same weight names,
gate order [i f o u] and masking of texts of different lengths.

  m_t = (W_mx x_t) * (W_mh h_{t-1})
  [i f o u] = W_x x_t + W_m m_t + b          (4H)
  c_t = sigmoid(f) * c_{t-1} + sigmoid(i) * tanh(u)
  h_t = sigmoid(o) * tanh(c_t)
  logits_t = W_out h_t + b_out               (256 bytes)

Steps at or past a text's length keep its state, so the final state of a
padded batch is each text's own final state."""

import json
from dataclasses import asdict, dataclass

import torch
from torch import nn

#: the mLSTM matrices; weight norm (when on) applies to these, as in Radford et al.
LAYER_MATRICES = ("wmx", "wmh", "wx", "wm")


@dataclass
class MLSTMConfig:
    vocab: int = 256
    embed_dim: int = 64
    hidden: int = 512
    weight_norm: bool = False

    def to_json(self):
        return json.dumps({"type": "mlstm", **asdict(self)}, indent=2)

    @staticmethod
    def from_json(text):
        d = json.loads(text)
        d.pop("type", None)
        return MLSTMConfig(**d)


class MLSTM(nn.Module):
    def __init__(self, config: MLSTMConfig):
        super().__init__()
        self.config = config
        d, h, v = config.embed_dim, config.hidden, config.vocab
        self.embed = nn.Embedding(v, d)
        self.wmx = nn.Linear(d, h, bias=False)
        self.wmh = nn.Linear(h, h, bias=False)
        self.wx = nn.Linear(d, 4 * h, bias=True)  # its bias is b
        self.wm = nn.Linear(h, 4 * h, bias=False)
        self.out = nn.Linear(h, v)
        with torch.no_grad():
            # forget-gate bias 1: remember by default early in training
            self.wx.bias.zero_()
            self.wx.bias[h : 2 * h] = 1.0
        if config.weight_norm:
            for name in LAYER_MATRICES:
                setattr(self, name, nn.utils.weight_norm(getattr(self, name), dim=0))

    def initial_state(self, n, device=None):
        z = torch.zeros(n, self.config.hidden, device=device)
        return z, z.clone()

    def step(self, x, h, c):
        """One step for embedded inputs x [N, D] -> (h, c) [N, H]."""
        hid = self.config.hidden
        m = self.wmx(x) * self.wmh(h)
        z = self.wx(x) + self.wm(m)
        i = torch.sigmoid(z[:, :hid])
        f = torch.sigmoid(z[:, hid : 2 * hid])
        o = torch.sigmoid(z[:, 2 * hid : 3 * hid])
        u = torch.tanh(z[:, 3 * hid :])
        c = f * c + i * u
        return o * torch.tanh(c), c

    def forward(self, data, lengths=None, state=None):
        """data [N, T] byte ids (int64), lengths [N] (default: all T).
        Returns hs [N, T, H] (held after each text's end), (h_T, c_T) [N, H]."""
        n, t = data.shape
        if lengths is None:
            lengths = torch.full((n,), t, dtype=torch.long, device=data.device)
        h, c = state if state is not None else self.initial_state(n, data.device)
        x = self.embed(data)
        hs = []
        for step in range(t):
            h2, c2 = self.step(x[:, step], h, c)
            live = (step < lengths).unsqueeze(1)
            h = torch.where(live, h2, h)
            c = torch.where(live, c2, c)
            hs.append(h)
        return torch.stack(hs, 1), (h, c)

    def logits(self, hs):
        return self.out(hs)

    def features(self, data, lengths=None, pool="final"):
        """[N, H]: the final cell state (pool='final') or the mean of h over each text."""
        hs, (_, c) = self.forward(data, lengths)
        if pool == "final":
            return c
        if pool != "mean":
            raise ValueError(f"features: pool must be 'final' or 'mean' (got {pool!r})")
        n, t, _ = hs.shape
        if lengths is None:
            lengths = torch.full((n,), t, dtype=torch.long, device=data.device)
        mask = (torch.arange(t, device=data.device)[None, :] < lengths[:, None]).float()
        return (hs * mask[:, :, None]).sum(1) / lengths[:, None].float()


def next_byte_loss(model, data, lengths):
    """Mean cross-entropy of predicting byte t+1 from the state after byte t, over real bytes."""
    hs, _ = model(data, lengths)
    logits = model.logits(hs[:, :-1])
    targets = data[:, 1:]
    t = data.shape[1]
    mask = torch.arange(1, t, device=data.device)[None, :] < lengths[:, None]
    loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1),
                                       reduction="none")
    mask = mask.reshape(-1).float()
    return (loss * mask).sum() / mask.sum().clamp(min=1)


def fold_weight_norm(state_dict):
    """{name_g, name_v} pairs -> plain weights (w = g * v / ||v||, norm over all but dim 0)."""
    out = {}
    for name, value in state_dict.items():
        if name.endswith("_g"):
            continue
        if name.endswith("_v"):
            stem = name[:-2]
            g = state_dict[stem + "_g"]
            norm = value.flatten(1).norm(dim=1).view(-1, *([1] * (value.dim() - 1)))
            out[stem] = g * value / norm
        else:
            out[name] = value
    return out


#: exported names and shapes, for the TypeScript loader (src/models/mlstm/weights.ts)
def weight_shapes(config: MLSTMConfig):
    d, h, v = config.embed_dim, config.hidden, config.vocab
    return {
        "embed.weight": [v, d],
        "wmx.weight": [h, d],
        "wmh.weight": [h, h],
        "wx.weight": [4 * h, d],
        "wx.bias": [4 * h],
        "wm.weight": [4 * h, h],
        "out.weight": [v, h],
        "out.bias": [v],
    }


def plain_model(model):
    """A copy without weight norm holding the folded weights (same outputs)."""
    config = MLSTMConfig(**{**asdict(model.config), "weight_norm": False})
    plain = MLSTM(config)
    plain.load_state_dict(fold_weight_norm(model.state_dict()))
    return plain


def encode(texts):
    """str or bytes list -> (data [N, T] int64 zero-padded, lengths [N])."""
    raw = [t.encode("utf-8") if isinstance(t, str) else bytes(t) for t in texts]
    if any(len(r) == 0 for r in raw):
        raise ValueError("encode: empty text (every text needs at least one byte)")
    t = max(len(r) for r in raw)
    data = torch.zeros(len(raw), t, dtype=torch.long)
    for k, r in enumerate(raw):
        data[k, : len(r)] = torch.tensor(list(r), dtype=torch.long)
    return data, torch.tensor([len(r) for r in raw], dtype=torch.long)
