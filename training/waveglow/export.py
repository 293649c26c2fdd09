"""Export a trained WaveGlow for the studio: weights (weight norm folded) as
safetensors, the config as JSON, and an ONNX graph of inference (mel, noise ->
audio) for the onnxruntime-web fallback.

/usr/bin/python3 training/waveglow/export.py --checkpoint runs/wg/checkpoint.pt --out public/models/waveglow"""

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from common.safetensors_io import load_safetensors, save_safetensors  # noqa: E402
from waveglow.model import WaveGlow, WaveGlowConfig, fold_weight_norm  # noqa: E402


class InferWithNoise(torch.nn.Module):
    """infer() with the noise as an input, so the graph is deterministic."""

    def __init__(self, model, sigma):
        super().__init__()
        self.model = model
        self.sigma = sigma

    def forward(self, mel, noise):
        return self.model.infer(mel, sigma=self.sigma, noise=noise)


def load_checkpoint(path):
    ckpt = torch.load(path, map_location="cpu")
    config = WaveGlowConfig.from_json(ckpt["config"])
    model = WaveGlow(config)
    model.load_state_dict(ckpt["model"])
    return model.eval(), config


def load_exported(folder):
    """The inverse of export(): a model from a folder of config.json + weights.safetensors
    (weight norm already folded, F32 or F16), so committed weights can be evaluated
    without the training checkpoint."""
    with open(os.path.join(folder, "config.json")) as f:
        config = WaveGlowConfig.from_json(f.read())
    model = WaveGlow(config)
    for module in model.modules():
        if hasattr(module, "weight_g"):
            torch.nn.utils.remove_weight_norm(module)
    weights = load_safetensors(os.path.join(folder, "weights.safetensors"))
    model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()})
    return model.eval(), config


def export(model, config, out, onnx=True, sigma=0.6, meta=None, dtype="F32"):
    os.makedirs(out, exist_ok=True)
    weights = {k: v.detach().numpy() for k, v in fold_weight_norm(model.state_dict()).items()}
    save_safetensors(os.path.join(out, "weights.safetensors"), weights, metadata=meta, dtype=dtype)
    with open(os.path.join(out, "config.json"), "w") as f:
        f.write(config.to_json() + "\n")
    if onnx:
        for conv in model.convinv:
            conv.cache_inverse()  # ONNX has no matrix inverse
        frames = 16
        mel = torch.randn(1, config.n_mel_channels, frames)
        n_groups = frames * config.hop_length // config.n_group  # infer() trims to frames*hop samples
        noise = torch.randn(1, config.n_group, n_groups)
        torch.onnx.export(InferWithNoise(model, sigma), (mel, noise), os.path.join(out, "infer.onnx"),
                          input_names=["mel", "noise"], output_names=["audio"], opset_version=17,
                          dynamic_axes={"mel": {2: "frames"}, "noise": {2: "groups"}, "audio": {1: "samples"}})
    return sum(v.size for v in weights.values())


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--sigma", type=float, default=0.6, help="noise scale baked into the ONNX graph")
    p.add_argument("--no-onnx", action="store_true")
    p.add_argument("--f16", action="store_true", help="store weights as F16 (half the size; loaded as f32)")
    args = p.parse_args()
    model, config = load_checkpoint(args.checkpoint)
    with torch.no_grad():
        ckpt = torch.load(args.checkpoint, map_location="cpu")
        meta = {"step": ckpt.get("step"), "checkpoint": os.path.basename(args.checkpoint)}
        n = export(model, config, args.out, onnx=not args.no_onnx, sigma=args.sigma, meta=meta,
                   dtype="F16" if args.f16 else "F32")
    print(json.dumps({"parameters": n, "out": args.out}))


if __name__ == "__main__":
    main()
