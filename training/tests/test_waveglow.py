"""Quick checks of the PyTorch WaveGlow twin: invertibility, the likelihood's
pieces, and weight-norm folding. A tiny config keeps this under a second."""

import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from waveglow.model import WaveGlow, WaveGlowConfig, WNConfig, fold_weight_norm, waveglow_loss  # noqa: E402


def tiny():
    torch.manual_seed(0)
    cfg = WaveGlowConfig(n_mel_channels=8, n_flows=4, n_group=4, n_early_every=2, n_early_size=2,
                         hop_length=16, win_length=64, WN_config=WNConfig(n_layers=2, n_channels=8, kernel_size=3))
    model = WaveGlow(cfg).eval()
    # perturb the zero-initialised end layers so couplings are not the identity
    for wn in model.WN:
        wn.end.weight.data.normal_(0, 0.1)
        wn.end.bias.data.normal_(0, 0.1)
    return cfg, model


def test_infer_inverts_forward():
    cfg, model = tiny()
    mel = torch.randn(2, cfg.n_mel_channels, 10)
    noise = torch.randn(2, cfg.n_group, 40)  # (10-1)*16 + 64 - 48 = 160 samples
    with torch.no_grad():
        audio = model.infer(mel, sigma=0.7, noise=noise)
        z, _, _ = model(mel, audio)
    assert audio.shape == (2, 160)
    # forward(infer(z)) gives back sigma*z
    assert torch.allclose(z, 0.7 * noise, atol=1e-4), (z - 0.7 * noise).abs().max()


def test_log_det_matches_the_jacobian():
    cfg, model = tiny()
    conv = model.convinv[0]
    x = torch.randn(1, cfg.n_group, 5)
    _, log_det = conv(x)
    w = conv.conv.weight.squeeze(2)
    assert torch.allclose(log_det, 5 * torch.logdet(w), atol=1e-5)


def test_loss_is_finite_and_decreases_with_a_step():
    cfg, model = tiny()
    model.train()
    mel = torch.randn(2, cfg.n_mel_channels, 10)
    audio = torch.randn(2, 120) * 0.1
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(5):
        z, log_s, log_det = model(mel, audio)
        loss = waveglow_loss(z, log_s, log_det)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert all(map(lambda v: v == v, losses))
    assert losses[-1] < losses[0]


def test_fold_weight_norm_reproduces_outputs():
    cfg, model = tiny()
    folded = fold_weight_norm(model.state_dict())
    assert not any(k.endswith("_g") or k.endswith("_v") for k in folded)
    w = folded["WN.0.in_layers.1.weight"]
    conv = model.WN[0].in_layers[1]
    x = torch.randn(1, cfg.WN_config.n_channels, 9)
    expected = conv(x)
    actual = torch.nn.functional.conv1d(x, w, folded["WN.0.in_layers.1.bias"], dilation=2, padding=2)
    assert torch.allclose(actual, expected, atol=1e-5)


def test_fold_spect_matches_nvidia_unfold_layout():
    cfg, model = tiny()
    spect = torch.randn(2, cfg.n_mel_channels, 24)
    ref = spect.unfold(2, cfg.n_group, cfg.n_group).permute(0, 2, 1, 3)
    ref = ref.contiguous().view(2, ref.size(1), -1).permute(0, 2, 1)
    assert torch.equal(model.fold_spect(spect, 24), ref)
