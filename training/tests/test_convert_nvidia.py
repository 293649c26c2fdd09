"""convert_nvidia.py on checkpoints of NVIDIA's WaveGlow layouts, rebuilt here
from their published structure (glow.py: one cond_layer per WN; older glow.py:
cond_layers per layer; glow_old.py: also res_layers + skip_layers). Our model
loaded from the converted weights must synthesise what NVIDIA's infer() does
with the same random draws."""

import os
import sys
import types

import pytest
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from common.safetensors_io import load_safetensors  # noqa: E402
from waveglow import convert_nvidia as cv  # noqa: E402
from waveglow.model import WaveGlow, WaveGlowConfig  # noqa: E402

wn_ = torch.nn.utils.weight_norm
N_MEL, KERNEL, HOP = 8, 16, 4


def fused(a, b, n_channels):
    x = a + b
    return torch.tanh(x[:, :n_channels]) * torch.sigmoid(x[:, n_channels:])


class Invertible1x1Conv(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv1d(c, c, 1, bias=False)
        w = torch.linalg.qr(torch.randn(c, c))[0]
        if torch.det(w) < 0:
            w[:, 0] = -w[:, 0]
        self.conv.weight.data = w.view(c, c, 1)

    def forward(self, z, reverse=False):
        w = self.conv.weight.squeeze()
        if reverse:
            return F.conv1d(z, w.double().inverse().float().unsqueeze(2))
        return self.conv(z)


class WN(nn.Module):
    """layout: 'new' (cond_layer), 'cond_layers' (per layer), 'glow_old' (+ res/skip layers)."""

    def __init__(self, n_in, n_mel, n_layers, n_channels, kernel_size, layout):
        super().__init__()
        self.layout, self.n_layers, self.n_channels = layout, n_layers, n_channels
        self.in_layers = nn.ModuleList()
        self.start = wn_(nn.Conv1d(n_in, n_channels, 1))
        self.end = nn.Conv1d(n_channels, 2 * n_in, 1)
        self.end.weight.data.normal_(0, 0.1)  # NVIDIA zero-inits; perturbed so couplings act
        self.end.bias.data.normal_(0, 0.1)
        if layout == "new":
            self.cond_layer = wn_(nn.Conv1d(n_mel, 2 * n_channels * n_layers, 1))
        else:
            self.cond_layers = nn.ModuleList()
        if layout == "glow_old":
            self.res_layers, self.skip_layers = nn.ModuleList(), nn.ModuleList()
        else:
            self.res_skip_layers = nn.ModuleList()
        for i in range(n_layers):
            d = 2**i
            self.in_layers.append(wn_(nn.Conv1d(n_channels, 2 * n_channels, kernel_size, dilation=d,
                                                padding=(kernel_size * d - d) // 2)))
            if layout != "new":
                self.cond_layers.append(wn_(nn.Conv1d(n_mel, 2 * n_channels, 1)))
            if layout == "glow_old":
                if i < n_layers - 1:
                    self.res_layers.append(wn_(nn.Conv1d(n_channels, n_channels, 1)))
                self.skip_layers.append(wn_(nn.Conv1d(n_channels, n_channels, 1)))
            else:
                rs = 2 * n_channels if i < n_layers - 1 else n_channels
                self.res_skip_layers.append(wn_(nn.Conv1d(n_channels, rs, 1)))

    def forward(self, forward_input):
        audio, spect = forward_input
        audio = self.start(audio)
        c = self.n_channels
        if self.layout == "new":
            cond = self.cond_layer(spect)
        output = None
        for i in range(self.n_layers):
            cond_i = cond[:, 2 * c * i: 2 * c * (i + 1)] if self.layout == "new" else self.cond_layers[i](spect)
            acts = fused(self.in_layers[i](audio), cond_i, c)
            if self.layout == "glow_old":
                if i < self.n_layers - 1:
                    audio = self.res_layers[i](acts) + audio
                skip = self.skip_layers[i](acts)
            else:
                rs = self.res_skip_layers[i](acts)
                if i < self.n_layers - 1:
                    audio = rs[:, :c] + audio
                    skip = rs[:, c:]
                else:
                    skip = rs
            output = skip if output is None else skip + output
        return self.end(output)


class NvidiaWaveGlow(nn.Module):
    def __init__(self, n_mel, n_flows, n_group, n_early_every, n_early_size, wn_config, layout):
        super().__init__()
        self.upsample = nn.ConvTranspose1d(n_mel, n_mel, KERNEL, stride=HOP)
        self.n_flows, self.n_group = n_flows, n_group
        self.n_early_every, self.n_early_size = n_early_every, n_early_size
        self.WN, self.convinv = nn.ModuleList(), nn.ModuleList()
        n_half, n_remaining = n_group // 2, n_group
        for k in range(n_flows):
            if k % n_early_every == 0 and k > 0:
                n_half -= n_early_size // 2
                n_remaining -= n_early_size
            self.convinv.append(Invertible1x1Conv(n_remaining))
            self.WN.append(WN(n_half, n_mel * n_group, layout=layout, **wn_config))
        self.n_remaining_channels = n_remaining

    def infer(self, spect, sigma=1.0):
        """NVIDIA's infer(), random draws included."""
        spect = self.upsample(spect)
        time_cutoff = self.upsample.kernel_size[0] - self.upsample.stride[0]
        spect = spect[:, :, :-time_cutoff]
        spect = spect.unfold(2, self.n_group, self.n_group).permute(0, 2, 1, 3)
        spect = spect.contiguous().view(spect.size(0), spect.size(1), -1).permute(0, 2, 1)
        audio = sigma * torch.randn(spect.size(0), self.n_remaining_channels, spect.size(2))
        for k in reversed(range(self.n_flows)):
            n_half = int(audio.size(1) / 2)
            audio_0, audio_1 = audio[:, :n_half], audio[:, n_half:]
            output = self.WN[k]((audio_0, spect))
            s, b = output[:, n_half:], output[:, :n_half]
            audio_1 = (audio_1 - b) / torch.exp(s)
            audio = self.convinv[k](torch.cat([audio_0, audio_1], 1), reverse=True)
            if k % self.n_early_every == 0 and k > 0:
                z = torch.randn(spect.size(0), self.n_early_size, spect.size(2))
                audio = torch.cat((sigma * z, audio), 1)
        return audio.permute(0, 2, 1).contiguous().view(audio.size(0), -1)


def nvidia_model(layout, seed=0):
    torch.manual_seed(seed)
    return NvidiaWaveGlow(N_MEL, n_flows=6, n_group=8, n_early_every=4, n_early_size=2,
                          wn_config=dict(n_layers=3, n_channels=8, kernel_size=3), layout=layout).eval()


def nvidia_noise_as_ours(nv, batch, groups, seed):
    """The draws NVIDIA's infer() makes under `seed`, laid out as our infer()'s noise."""
    torch.manual_seed(seed)
    late = torch.randn(batch, nv.n_remaining_channels, groups)
    exits = [k for k in reversed(range(nv.n_flows)) if k % nv.n_early_every == 0 and k > 0]
    zs = [torch.randn(batch, nv.n_early_size, groups) for _ in exits]
    return torch.cat(list(reversed(zs)) + [late], 1)


def save_as_nvidia(model, path, as_module):
    """torch.save with the classes living in a module `glow`, then make `glow` unimportable."""
    glow = types.ModuleType("glow")
    classes = (NvidiaWaveGlow, WN, Invertible1x1Conv)
    for cls in classes:
        setattr(glow, cls.__name__, cls)
    saved = {cls: cls.__module__ for cls in classes}
    sys.modules["glow"] = glow
    try:
        for cls in classes:
            cls.__module__ = "glow"
        payload = model if as_module else model.state_dict()
        torch.save({"model": payload, "iteration": 10, "learning_rate": 1e-4}, path)
    finally:
        for cls, mod in saved.items():
            cls.__module__ = mod
        del sys.modules["glow"]


def check_same_synthesis(nv, out_dir):
    config = WaveGlowConfig.from_json(open(os.path.join(out_dir, "config.json")).read())
    weights = load_safetensors(os.path.join(out_dir, "weights.safetensors"))
    ours = cv.load_converted(WaveGlow(config), weights).eval()
    mel = torch.randn(2, N_MEL, 9)
    groups = 36 // 8  # (9-1)*4 + 16 - (16-4) = 36 samples -> 4 groups of 8
    with torch.no_grad():
        torch.manual_seed(5)
        expected = nv.infer(mel, sigma=0.8)
        noise = nvidia_noise_as_ours(nv, 2, groups, seed=5)
        actual = ours.infer(mel, sigma=0.8, noise=noise)
    assert actual.shape == expected.shape == (2, 32)
    assert torch.allclose(actual, expected, atol=1e-5, rtol=1e-4), (actual - expected).abs().max()
    return config


@pytest.mark.parametrize("layout", ["new", "cond_layers", "glow_old"])
def test_pickled_module_converts_and_synthesises_the_same(tmp_path, layout):
    nv = nvidia_model(layout)
    path = tmp_path / "waveglow.pt"
    save_as_nvidia(nv, path, as_module=True)
    assert "glow" not in sys.modules
    config, n = cv.convert(str(path), str(tmp_path / "out"))
    assert config.hop_length == HOP  # read off the pickled upsampler
    assert (config.n_flows, config.n_group, config.n_early_every, config.n_early_size) == (6, 8, 4, 2)
    assert (config.upsample_kernel, config.WN_config.n_layers, config.WN_config.n_channels) == (KERNEL, 3, 8)
    check_same_synthesis(nv, tmp_path / "out")


def test_state_dict_with_dataparallel_prefix(tmp_path):
    nv = nvidia_model("cond_layers", seed=3)
    state = {"module." + k: v for k, v in nv.state_dict().items()}
    assert any(k.endswith("cond_layers.2.weight_v") for k in state)
    torch.save(state, tmp_path / "sd.pt")
    with pytest.raises(cv.ConversionError, match="upsample kernel 16 is shorter than the hop 256"):
        cv.convert(str(tmp_path / "sd.pt"), str(tmp_path / "bad"))  # hop is not in a state_dict
    cv.convert(str(tmp_path / "sd.pt"), str(tmp_path / "out"), hop_length=HOP)
    weights = load_safetensors(str(tmp_path / "out" / "weights.safetensors"))
    assert not any(k.endswith(("_g", "_v")) or "cond_layers" in k for k in weights)
    assert weights["WN.0.cond_layer.weight"].shape == (3 * 2 * 8, N_MEL * 8, 1)
    check_same_synthesis(nv, tmp_path / "out")


def test_hop_contradicting_the_module_is_an_error(tmp_path):
    nv = nvidia_model("new")
    save_as_nvidia(nv, tmp_path / "m.pt", as_module=True)
    with pytest.raises(cv.ConversionError, match="contradicts the checkpoint's upsampler stride 4"):
        cv.convert(str(tmp_path / "m.pt"), str(tmp_path / "out"), hop_length=256)


def test_damaged_checkpoints_give_clear_errors(tmp_path):
    state = nvidia_model("new").state_dict()
    missing = {k: v for k, v in state.items() if not k.startswith("WN.2.res_skip_layers.1.")}
    with pytest.raises(cv.ConversionError, match=r"WN\.2\.res_skip_layers\.1\.weight is missing"):
        cv.convert_state_dict(missing, HOP)
    extra = dict(state, **{"WN.0.extra.weight": torch.zeros(1)})
    with pytest.raises(cv.ConversionError, match=r"unexpected tensor WN\.0\.extra\.weight"):
        cv.convert_state_dict(extra, HOP)
    old = nvidia_model("glow_old").state_dict()
    del old["WN.1.res_layers.0.bias"]
    with pytest.raises(cv.ConversionError, match=r"WN\.1\.res_layers\.0\.bias is missing"):
        cv.convert_state_dict(old, HOP)
    torch.save({"model": [1, 2]}, tmp_path / "list.pt")
    with pytest.raises(cv.ConversionError, match="holds a list"):
        cv.convert(str(tmp_path / "list.pt"), str(tmp_path / "out"))
