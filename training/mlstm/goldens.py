"""Parity goldens for the WGSL mLSTM (src/models/mlstm/mlstm.test.ts): a tiny
random model trained with weight norm (exported folded, as export.py does), a
few texts as bytes, and PyTorch's logits, final states, mean-pooled h and the
gradients of the next-byte loss with respect to every weight.

/usr/bin/python3 training/mlstm/goldens.py   (writes src/models/mlstm/goldens/)"""

import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from common.safetensors_io import save_safetensors  # noqa: E402
from mlstm.export import export  # noqa: E402
from mlstm.model import MLSTM, MLSTMConfig, encode, next_byte_loss, plain_model  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "models", "mlstm", "goldens")

TEXTS = [
    "Good movie!".encode("utf-8"),
    "A dull, lifeless plot; the café scenes ☕ drag on and on.".encode("utf-8"),
    b"\xff\xfe bad utf-8 \xc3",  # invalid UTF-8 is fine: the model reads bytes
    b"x",
]


def main():
    torch.manual_seed(2017)
    model = MLSTM(MLSTMConfig(embed_dim=16, hidden=32, weight_norm=True))
    with torch.no_grad():
        for name in ("wmx", "wmh", "wx", "wm"):
            layer = getattr(model, name)
            layer.weight_g.mul_(torch.rand_like(layer.weight_g) + 0.75)
            layer.weight_v.mul_(2.0)  # folding must undo the scale of v
        model.wx.bias.normal_(0, 0.5)
    os.makedirs(OUT, exist_ok=True)
    export(model, OUT, onnx=False, meta={"source": "training/mlstm/goldens.py"})

    plain = plain_model(model)
    data, lengths = encode(TEXTS)
    with torch.no_grad():
        hs_wn, (_, c_wn) = model(data, lengths)
    hs, (h, c) = plain(data, lengths)
    assert torch.allclose(hs, hs_wn, atol=1e-5) and torch.allclose(c, c_wn, atol=1e-5)
    logits = plain.logits(hs)
    expected = {
        "h_final": h,
        "c_final": c,
        "h_mean": plain.features(data, lengths, pool="mean"),
    }
    for k, n in enumerate(lengths.tolist()):
        expected[f"logits.{k}"] = logits[k, :n]
    loss = next_byte_loss(plain, data, lengths)
    loss.backward()
    for name, p in plain.named_parameters():
        expected[f"grad.{name}"] = p.grad
    expected["loss"] = loss.reshape(1)
    save_safetensors(os.path.join(OUT, "expected.safetensors"),
                     {k: v.detach().numpy().astype(np.float32) for k, v in expected.items()},
                     metadata={"source": "training/mlstm/goldens.py"})
    with open(os.path.join(OUT, "texts.json"), "w") as f:
        json.dump({"texts": [list(t) for t in TEXTS]}, f)
        f.write("\n")
    sizes = {n: os.path.getsize(os.path.join(OUT, n)) for n in sorted(os.listdir(OUT))}
    print(json.dumps({"loss": loss.item(), "bytes": sizes}))


if __name__ == "__main__":
    main()
