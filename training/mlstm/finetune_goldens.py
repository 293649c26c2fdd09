"""Golden of one fine-tuning step (src/models/sentiment/finetune.test.ts): the
tiny model of src/models/mlstm/goldens, a head, four labelled texts cut to
MAX_BYTES, loss = BCE + LM_WEIGHT x next-byte loss; PyTorch's loss, gradient
of every weight and of the head, and the weights after one clipped Adam step
(head and LM at their own learning rates), as training/mlstm/finetune.py does.

/usr/bin/python3 training/mlstm/finetune_goldens.py   (writes src/models/sentiment/goldens/)"""

import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from common.safetensors_io import save_safetensors  # noqa: E402
from mlstm.finetune import Finetuner, load_model, loss_of, pad  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
MODEL = os.path.join(ROOT, "src", "models", "mlstm", "goldens")
OUT = os.path.join(ROOT, "src", "models", "sentiment", "goldens")
TEXTS = [b"Good movie!", b"A dull, lifeless plot that drags on.", b"fun", b"\xff bad \xc3 bytes"]
LABELS = [1, 0, 1, 0]
AFTER = ("head.weight", "head.bias", "lm.wm.weight", "lm.wx.bias")  # a sample keeps the file small
MAX_BYTES, LM_WEIGHT, LR, LR_LM, CLIP = 12, 0.5, 1e-2, 3e-3, 0.5


def main():
    torch.manual_seed(4)
    net = Finetuner(load_model(MODEL))
    with torch.no_grad():
        net.head.weight.normal_(0, 0.3)
        net.head.bias.fill_(0.1)
    head = {"w": net.head.weight[0].tolist(), "b": float(net.head.bias[0])}
    data, lengths = pad(TEXTS, MAX_BYTES)
    loss = loss_of(net, data, lengths, torch.tensor(LABELS), LM_WEIGHT)
    loss.backward()
    expected = {"loss": loss.detach().reshape(1)}
    for name, p in net.named_parameters():
        expected[f"grad.{name}"] = p.grad.clone()
    norm = torch.nn.utils.clip_grad_norm_(net.parameters(), CLIP)
    expected["grad_norm"] = norm.reshape(1)
    opt = torch.optim.Adam([{"params": net.lm.parameters(), "lr": LR_LM},
                            {"params": net.head.parameters(), "lr": LR}])
    opt.step()
    for name, p in net.named_parameters():
        if name in AFTER:
            expected[f"after.{name}"] = p.detach().clone()
    os.makedirs(OUT, exist_ok=True)
    save_safetensors(os.path.join(OUT, "finetune-step.safetensors"),
                     {k: v.numpy().astype(np.float32) for k, v in expected.items()},
                     metadata={"source": "training/mlstm/finetune_goldens.py"})
    case = {"texts": [list(t) for t in TEXTS], "labels": LABELS, "head": head,
            "maxBytes": MAX_BYTES, "lmWeight": LM_WEIGHT, "lr": LR, "lrLm": LR_LM, "clip": CLIP}
    with open(os.path.join(OUT, "finetune-step.json"), "w") as f:
        json.dump(case, f)
        f.write("\n")
    print(json.dumps({"loss": loss.item(), "grad_norm": float(norm)}))


if __name__ == "__main__":
    main()
