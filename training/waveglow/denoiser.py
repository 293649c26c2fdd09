"""The WaveGlow denoiser, as NVIDIA's and as the studio's (src/models/waveglow/denoiser.ts):
the model's bias is its sigma-0 output for a zero mel; the magnitude of that audio's first
STFT frame, times a strength, is subtracted from every frame of the synthesis, keeping the
phase, and clamped at zero."""

import torch

from common.audio import HOP, N_FFT

BIAS_FRAMES = 88  # as NVIDIA's Denoiser: a zero mel of 88 frames


def bias_spectrum(model, n_mel=80, frames=BIAS_FRAMES):
    """[N_FFT/2+1, 1] magnitude of the model's output for silence."""
    with torch.no_grad():
        audio = model.infer(torch.zeros(1, n_mel, frames), sigma=0.0)[0]
    return _stft(audio).abs()[:, :1]


def denoise(audio, bias, strength):
    """audio [T] -> audio [T] with strength x bias removed from every frame's magnitude."""
    if strength <= 0:
        return audio
    spec = _stft(audio)
    magnitude = torch.clamp(spec.abs() - strength * bias, min=0.0)
    spec = torch.polar(magnitude, torch.angle(spec))
    window = torch.hann_window(N_FFT)
    return torch.istft(spec, N_FFT, hop_length=HOP, win_length=N_FFT, window=window, length=len(audio))


def _stft(audio):
    window = torch.hann_window(N_FFT)
    return torch.stft(audio, N_FFT, hop_length=HOP, win_length=N_FFT, window=window, return_complex=True)
