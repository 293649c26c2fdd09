"""Convert a checkpoint of NVIDIA's WaveGlow (github.com/NVIDIA/waveglow) into
the studio's format: weights.safetensors (weight norm folded) + config.json.

Accepted: {'model': module} as NVIDIA's train.py saves it (their classes need
not be importable: unknown classes unpickle as plain modules), {'model' or
'state_dict': state_dict}, or a bare state_dict; a 'module.' prefix
(DataParallel) is stripped. Both WN layouts are read:
  newer: WN.k.cond_layer (one 1x1 conv for all layers), WN.k.res_skip_layers.i
  older: WN.k.cond_layers.i (one per layer; concatenated in layer order), and
         glow_old's WN.k.res_layers.i + WN.k.skip_layers.i (stacked into res_skip)
The config is read off the tensor shapes; the hop (the upsampler's stride) is
not in a state_dict: it comes from the pickled module when there is one, else
from --hop-length (NVIDIA's models use 256).

/usr/bin/python3 training/waveglow/convert_nvidia.py --checkpoint waveglow_256channels.pt --out public/models/waveglow"""

import argparse
import json
import os
import contextlib
import importlib.abc
import importlib.machinery
import re
import sys
import types

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from common.safetensors_io import save_safetensors  # noqa: E402
from waveglow.model import WaveGlow, WaveGlowConfig, WNConfig, fold_weight_norm  # noqa: E402


class ConversionError(ValueError):
    pass


_stubs = {}


def _stub_class(module, name):
    """A plain nn.Module standing in for a class whose code is not importable."""
    key = (module, name)
    if key not in _stubs:
        _stubs[key] = type(name, (torch.nn.Module,), {"__module__": f"stub.{module}"})
    return _stubs[key]


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Last on sys.meta_path while a checkpoint loads: a module no other finder
    knows (NVIDIA's `glow`) becomes one whose attributes are stub modules.
    NOTE: an import hook, not torch.load(pickle_module=...): Debian's torch
    1.13 ignores that argument."""

    def __init__(self):
        self.created = []

    def find_spec(self, fullname, path=None, target=None):
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []
        module.__getattr__ = lambda name, m=spec.name: _stub_class(m, name)
        self.created.append(spec.name)
        return module

    def exec_module(self, module):
        pass


@contextlib.contextmanager
def _stub_unknown_modules():
    finder = _StubFinder()
    sys.meta_path.append(finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        for name in finder.created:
            sys.modules.pop(name, None)


def read_checkpoint(path):
    """-> (state_dict of tensors, hop length or None)."""
    with _stub_unknown_modules():
        ckpt = torch.load(path, map_location="cpu")
    model = ckpt
    if isinstance(ckpt, dict):
        for key in ("model", "state_dict"):
            if key in ckpt:
                model = ckpt[key]
                break
    hop = None
    if isinstance(model, torch.nn.Module):
        upsample = getattr(model, "upsample", None)
        if upsample is not None and hasattr(upsample, "stride"):
            hop = int(upsample.stride[0])
        state = model.state_dict()
    elif isinstance(model, dict):
        state = model
    else:
        raise ConversionError(f"checkpoint holds a {type(model).__name__}, expected a module or a state_dict")
    state = {k[len("module."):] if k.startswith("module.") else k: v for k, v in state.items()}
    bad = [k for k, v in state.items() if not torch.is_tensor(v)]
    if bad:
        raise ConversionError(f"not a state_dict: {bad[:3]} are not tensors")
    return {k: v.detach().float().cpu() for k, v in state.items()}, hop


def _shape(weights, name):
    if name not in weights:
        raise ConversionError(f"checkpoint lacks {name} (not NVIDIA's WaveGlow layout?)")
    return tuple(weights[name].shape)


def to_our_layout(folded):
    """Folded NVIDIA tensors -> our names (cond_layers / res_layers+skip_layers merged)."""
    out = {}
    per_layer = {}
    for name, value in folded.items():
        m = re.fullmatch(r"WN\.(\d+)\.(cond_layers|res_layers|skip_layers)\.(\d+)\.(weight|bias)", name)
        if m:
            k, kind, i, what = int(m[1]), m[2], int(m[3]), m[4]
            per_layer.setdefault(k, {}).setdefault(kind, {})[(i, what)] = value
        else:
            out[name] = value
    for k, kinds in per_layer.items():
        n_layers = 1 + max(i for (i, _) in kinds.get("cond_layers", kinds.get("skip_layers", {})))
        if "cond_layers" in kinds:
            layers = kinds["cond_layers"]
            for what in ("weight", "bias"):
                missing = [i for i in range(n_layers) if (i, what) not in layers]
                if missing:
                    raise ConversionError(f"WN.{k}.cond_layers.{missing[0]}.{what} is missing")
                out[f"WN.{k}.cond_layer.{what}"] = torch.cat([layers[(i, what)] for i in range(n_layers)], 0)
        if "skip_layers" in kinds:
            res, skip = kinds.get("res_layers", {}), kinds["skip_layers"]
            for i in range(n_layers):
                for what in ("weight", "bias"):
                    need = [("res_layers", res)] if i < n_layers - 1 else []
                    need.append(("skip_layers", skip))
                    for kind, table in need:
                        if (i, what) not in table:
                            raise ConversionError(f"WN.{k}.{kind}.{i}.{what} is missing")
                    parts = [table[(i, what)] for _, table in need]
                    out[f"WN.{k}.res_skip_layers.{i}.{what}"] = torch.cat(parts, 0)
    return out


def infer_config(weights, hop_length, sampling_rate=22050, win_length=1024):
    n_mel, _, kernel = _shape(weights, "upsample.weight")
    n_flows = 1 + max(int(m[1]) for m in (re.match(r"convinv\.(\d+)\.", k) for k in weights) if m)
    channels = [_shape(weights, f"convinv.{k}.conv.weight")[0] for k in range(n_flows)]
    n_group = channels[0]
    drops = [k for k in range(1, n_flows) if channels[k] != channels[k - 1]]
    n_early_every = drops[0] if drops else n_flows
    n_early_size = channels[0] - channels[drops[0]] if drops else 0
    n_channels = _shape(weights, "WN.0.start.weight")[0]
    kernel_size = _shape(weights, "WN.0.in_layers.0.weight")[2]
    n_layers = 1 + max(int(m[1]) for m in (re.match(r"WN\.0\.in_layers\.(\d+)\.", k) for k in weights) if m)
    if kernel < hop_length:
        raise ConversionError(f"upsample kernel {kernel} is shorter than the hop {hop_length}: wrong --hop-length?")
    return WaveGlowConfig(n_mel_channels=n_mel, n_flows=n_flows, n_group=n_group, n_early_every=n_early_every,
                          n_early_size=n_early_size, sampling_rate=sampling_rate, hop_length=hop_length,
                          win_length=win_length, upsample_kernel=kernel,
                          WN_config=WNConfig(n_layers=n_layers, n_channels=n_channels, kernel_size=kernel_size))


def expected_shapes(config):
    """Our folded tensor names and shapes for a config (from our model itself)."""
    model = WaveGlow(config)
    return {k: tuple(v.shape) for k, v in fold_weight_norm(model.state_dict()).items()}


def convert_state_dict(state, hop_length, sampling_rate=22050, win_length=1024):
    """NVIDIA state_dict -> (our folded weights {name: tensor}, WaveGlowConfig)."""
    weights = to_our_layout(fold_weight_norm(state))
    config = infer_config(weights, hop_length, sampling_rate, win_length)
    expected = expected_shapes(config)
    problems = [f"{k} is missing" for k in expected if k not in weights]
    problems += [f"unexpected tensor {k}" for k in weights if k not in expected]
    problems += [f"{k} shape (expected {list(s)}, got {list(weights[k].shape)})"
                 for k, s in expected.items() if k in weights and tuple(weights[k].shape) != s]
    if problems:
        raise ConversionError(f"checkpoint does not fit the WaveGlow layout: {'; '.join(problems[:6])}")
    return {k: weights[k] for k in sorted(expected)}, config


def load_converted(model, weights):
    """Loads folded weights into our WaveGlow (its weight norm removed, as the weights are folded)."""
    for module in model.modules():
        if hasattr(module, "weight_g"):
            torch.nn.utils.remove_weight_norm(module)
    model.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in weights.items()}, strict=True)
    return model


def convert(checkpoint, out, hop_length=None, sampling_rate=22050, win_length=1024):
    state, stored_hop = read_checkpoint(checkpoint)
    if stored_hop is not None and hop_length is not None and stored_hop != hop_length:
        raise ConversionError(f"--hop-length {hop_length} contradicts the checkpoint's upsampler stride {stored_hop}")
    hop = stored_hop or hop_length or 256
    weights, config = convert_state_dict(state, hop, sampling_rate, win_length)
    os.makedirs(out, exist_ok=True)
    save_safetensors(os.path.join(out, "weights.safetensors"), {k: v.numpy() for k, v in weights.items()},
                     metadata={"source": os.path.basename(checkpoint), "converter": "convert_nvidia.py"})
    with open(os.path.join(out, "config.json"), "w") as f:
        f.write(config.to_json() + "\n")
    return config, sum(v.numel() for v in weights.values())


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--hop-length", type=int, default=None, help="upsampler stride when the checkpoint lacks it (256)")
    p.add_argument("--sampling-rate", type=int, default=22050)
    p.add_argument("--win-length", type=int, default=1024)
    args = p.parse_args()
    try:
        config, n = convert(args.checkpoint, args.out, args.hop_length, args.sampling_rate, args.win_length)
    except ConversionError as err:
        sys.exit(f"convert_nvidia: {err}")
    print(json.dumps({"parameters": n, "out": args.out, "config": json.loads(config.to_json())}))


if __name__ == "__main__":
    main()
