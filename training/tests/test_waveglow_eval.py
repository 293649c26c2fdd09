"""Quick checks of what evaluate.py stands on: loading an exported folder gives back the
trained model, and the denoiser removes the model's bias but keeps a tone."""

import math
import os
import sys
import tempfile

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from common.audio import SAMPLE_RATE  # noqa: E402
from test_waveglow import tiny  # noqa: E402
from waveglow.denoiser import _stft, bias_spectrum, denoise  # noqa: E402
from waveglow.export import export, load_exported  # noqa: E402


def test_load_exported_reproduces_the_model():
    cfg, model = tiny()
    mel = torch.randn(1, cfg.n_mel_channels, 12)
    noise = torch.randn(1, cfg.n_group, 48)  # (12-1)*16 + 64 - 48 = 192 samples
    with torch.no_grad(), tempfile.TemporaryDirectory() as folder:
        expected = model.infer(mel, sigma=0.5, noise=noise)
        export(model, cfg, folder, onnx=False)
        loaded, loaded_cfg = load_exported(folder)
        actual = loaded.infer(mel, sigma=0.5, noise=noise)
    assert loaded_cfg == cfg
    assert torch.allclose(actual, expected, atol=1e-5), (actual - expected).abs().max()


def test_denoiser_removes_the_bias_and_keeps_a_tone():
    _, model = tiny()
    bias = bias_spectrum(model, n_mel=8)
    assert bias.shape == (513, 1) and float(bias.sum()) > 0
    n = 8192
    torch.manual_seed(1)
    # noise shaped like the bias: random phase, the bias magnitude in every frame
    frames = _stft(torch.zeros(n)).shape[1]
    phase = torch.rand(513, frames) * 2 * math.pi
    window = torch.hann_window(1024)
    shaped = torch.istft(torch.polar(bias.expand(513, frames), phase), 1024, hop_length=256,
                         window=window, length=n)
    tone = 0.5 * torch.sin(2 * math.pi * 440 * torch.arange(n) / SAMPLE_RATE)
    noise_left = denoise(shaped, bias, 1.0).pow(2).sum() / shaped.pow(2).sum()
    tone_kept = denoise(tone, bias, 0.1).pow(2).sum() / tone.pow(2).sum()
    assert noise_left < 0.2, noise_left
    assert tone_kept > 0.95, tone_kept
    assert torch.equal(denoise(tone, bias, 0.0), tone)
