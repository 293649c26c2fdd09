"""Golden files for the studio's WaveGlow parity test (src/models/waveglow/waveglow.test.ts).

A tiny randomly initialised WaveGlow (n_mel 80, 4 flows, WN of 2 layers x 8
channels) with its zero-initialised `end` layers perturbed, so no coupling is
the identity. Weights are rounded to bfloat16 and stored as BF16 (half the
bytes); the reference runs on those rounded values in float32, so parity is
still exact-f32 work. Writes into src/models/waveglow/goldens/:
  weights.safetensors  folded weights (BF16)
  config.json          the model config
  io.safetensors       mel, noise, infer audio, forward z / NLL / a few gradients (F32)

/usr/bin/python3 training/waveglow/goldens.py"""

import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from common.safetensors_io import save_safetensors  # noqa: E402
from waveglow.model import WaveGlow, WaveGlowConfig, WNConfig, waveglow_loss  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "models", "waveglow", "goldens")
FRAMES = 20
SIGMA = 0.7
# gradients checked by the test (small tensors, one of each kind of layer)
GRAD_NAMES = [
    "upsample.bias",
    "convinv.0.conv.weight",
    "convinv.3.conv.weight",
    "WN.0.end.weight",
    "WN.1.start.weight",
    "WN.2.cond_layer.bias",
    "WN.3.in_layers.1.weight",
    "WN.3.res_skip_layers.0.bias",
]


def tiny_config():
    return WaveGlowConfig(n_mel_channels=80, n_flows=4, n_group=8, n_early_every=2, n_early_size=2,
                          sampling_rate=22050, hop_length=8, win_length=64, upsample_kernel=16,
                          WN_config=WNConfig(n_layers=2, n_channels=8, kernel_size=3))


def save_bf16(path, tensors):
    """safetensors with BF16 data; the values must already be bf16-representable."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype="<f4")
        bits = (a.view("<u4") >> 16).astype("<u2")
        assert np.array_equal((bits.astype("<u4") << 16).view("<f4"), a), f"{name} is not bf16-exact"
        data = bits.tobytes()
        header[name] = {"dtype": "BF16", "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def build_model(cfg):
    torch.manual_seed(0)
    model = WaveGlow(cfg)
    for wn in model.WN:
        wn.end.weight.data.normal_(0, 0.1)
        wn.end.bias.data.normal_(0, 0.1)
    # plain weights (the folded layout the studio loads), so gradients are per folded tensor
    for module in model.modules():
        if hasattr(module, "weight_g"):
            torch.nn.utils.remove_weight_norm(module)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.bfloat16().float())
    return model.eval()


def main():
    cfg = tiny_config()
    model = build_model(cfg)
    os.makedirs(OUT, exist_ok=True)
    weights = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    save_bf16(os.path.join(OUT, "weights.safetensors"), weights)
    with open(os.path.join(OUT, "config.json"), "w") as f:
        f.write(cfg.to_json() + "\n")

    g = torch.Generator().manual_seed(1)
    mel = torch.randn(1, cfg.n_mel_channels, FRAMES, generator=g)
    groups = FRAMES * cfg.hop_length // cfg.n_group  # infer() trims to frames*hop samples
    noise = torch.randn(1, cfg.n_group, groups, generator=g)
    with torch.no_grad():
        audio = model.infer(mel, sigma=SIGMA, noise=noise)
        z_inf, log_s, log_det = model(mel, audio)
        nll_inf = waveglow_loss(z_inf, log_s, log_det, sigma=SIGMA)
    # forward on audio that did not come from infer(), so z is not just sigma*noise
    t = torch.arange(audio.size(1), dtype=torch.float32)
    audio_fwd = (0.3 * torch.sin(0.37 * t) + 0.05 * torch.randn(audio.size(1), generator=g)).unsqueeze(0)
    model.zero_grad()
    z, log_s, log_det = model(mel, audio_fwd)
    nll = waveglow_loss(z, log_s, log_det, sigma=SIGMA)
    nll.backward()
    params = dict(model.named_parameters())
    io = {
        "mel": mel, "noise": noise, "audio": audio, "z_infer": z_inf, "nll_infer": nll_inf.view(1),
        "audio_fwd": audio_fwd, "z_fwd": z.detach(), "nll_fwd": nll.detach().view(1),
    }
    for name in GRAD_NAMES:
        io["grad." + name] = params[name].grad
    save_safetensors(os.path.join(OUT, "io.safetensors"), {k: v.numpy() for k, v in io.items()},
                     metadata={"sigma": SIGMA, "script": "training/waveglow/goldens.py"})
    sizes = {f: os.path.getsize(os.path.join(OUT, f)) for f in sorted(os.listdir(OUT))}
    print(json.dumps({"nll_fwd": nll.item(), "nll_infer": nll_inf.item(), "audio_std": audio.std().item(),
                      "bytes": sizes, "total": sum(sizes.values())}))


if __name__ == "__main__":
    main()
