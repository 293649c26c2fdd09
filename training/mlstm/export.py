"""Export a trained mLSTM for the studio: weights (weight norm folded) as
safetensors, the config as JSON, and an ONNX graph of one recurrent step
(byte, h, c -> logits, h, c) for other runtimes and `semilab bench mlstm`; a
featurizer loops it over the bytes of a text. The studio builds its own
onnxruntime-web graphs from the weights, so public/models/mlstm keeps no step.onnx.

/usr/bin/python3 training/mlstm/export.py --checkpoint runs/mlstm/checkpoint.pt --out public/models/mlstm --no-onnx"""

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from common.safetensors_io import save_safetensors  # noqa: E402
from mlstm.model import MLSTM, MLSTMConfig, plain_model  # noqa: E402


class Step(torch.nn.Module):
    """One byte of the recurrence plus the next-byte logits. The byte comes in
    as float32 (cast inside the graph) because the studio's OrtModel feeds f32 only."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, byte, h, c):
        h, c = self.model.step(self.model.embed(byte.long()), h, c)
        return self.model.logits(h), h, c


def load_checkpoint(path):
    ckpt = torch.load(path, map_location="cpu")
    config = MLSTMConfig.from_json(ckpt["config"])
    model = MLSTM(config)
    model.load_state_dict(ckpt["model"])
    return model.eval()


def export(model, out, onnx=True, meta=None, dtype="F32"):
    """Writes weights.safetensors, config.json (and step.onnx); returns the parameter count."""
    os.makedirs(out, exist_ok=True)
    plain = plain_model(model).eval()
    weights = {k: v.detach().numpy() for k, v in plain.state_dict().items()}
    save_safetensors(os.path.join(out, "weights.safetensors"), weights, metadata=meta, dtype=dtype)
    with open(os.path.join(out, "config.json"), "w") as f:
        f.write(plain.config.to_json() + "\n")
    if onnx:
        n, hid = 2, plain.config.hidden
        args = (torch.zeros(n), torch.zeros(n, hid), torch.zeros(n, hid))
        with torch.no_grad():
            torch.onnx.export(Step(plain), args, os.path.join(out, "step.onnx"),
                              input_names=["byte", "h", "c"], output_names=["logits", "h_next", "c_next"],
                              opset_version=17,
                              dynamic_axes={k: {0: "batch"} for k in ("byte", "h", "c", "logits", "h_next",
                                                                       "c_next")})
    return sum(v.size for v in weights.values())


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--no-onnx", action="store_true")
    p.add_argument("--f16", action="store_true", help="store weights as F16 (half the size; loaded as f32)")
    args = p.parse_args()
    model = load_checkpoint(args.checkpoint)
    n = export(model, args.out, onnx=not args.no_onnx, dtype="F16" if args.f16 else "F32")
    print(json.dumps({"parameters": n, "out": args.out}))


if __name__ == "__main__":
    main()
