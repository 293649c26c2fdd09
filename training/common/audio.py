"""Audio for training: WAV loading (stdlib `wave`, 16-bit PCM) and the
log-mel spectrogram with the exact settings of the studio's GPU path
(src/models/mel): FFT 1024, hop 256, periodic Hann 1024, reflect padding of
512, magnitudes, 80 Slaney mel bands 0-8000 Hz, log of values clamped at 1e-5."""

import wave

import numpy as np
import torch

SAMPLE_RATE = 22050
N_FFT = 1024
HOP = 256
N_MELS = 80
F_MAX = 8000.0


def load_wav(path):
    """-> float32 mono samples in [-1, 1] at their own rate, and that rate."""
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"{path}: only 16-bit PCM WAV is supported here (got {8 * w.getsampwidth()}-bit)")
        rate, channels = w.getframerate(), w.getnchannels()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        data = data.reshape(-1, channels).mean(axis=1)
    return data, rate


def hz_to_mel(f):
    """Slaney scale: linear below 1 kHz, logarithmic above."""
    f = np.asarray(f, dtype=np.float64)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-10) / min_log_hz) / logstep, mels)


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    f_sp = 200.0 / 3
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)


def mel_filters(sr=SAMPLE_RATE, n_fft=N_FFT, n_mels=N_MELS, fmin=0.0, fmax=F_MAX):
    """[n_mels, n_fft/2+1] triangular filters, Slaney-normalised (area 1 in Hz)."""
    fft_freqs = np.linspace(0, sr / 2, n_fft // 2 + 1)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fft_freqs[None, :]
    weights = np.zeros((n_mels, n_fft // 2 + 1))
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    enorm = 2.0 / (mel_f[2 : n_mels + 2] - mel_f[:n_mels])
    return weights * enorm[:, None]


_FILTERS = torch.from_numpy(mel_filters()).float()


def log_mel(samples):
    """samples [T] or [B, T] float tensor -> log-mel [B, 80, T//256 + 1]."""
    if samples.dim() == 1:
        samples = samples[None]
    spec = torch.stft(samples, N_FFT, hop_length=HOP, win_length=N_FFT,
                      window=torch.hann_window(N_FFT, periodic=True, device=samples.device),
                      center=True, pad_mode="reflect", return_complex=True).abs()
    mel = torch.matmul(_FILTERS.to(samples.device), spec)
    return torch.log(torch.clamp(mel, min=1e-5))
