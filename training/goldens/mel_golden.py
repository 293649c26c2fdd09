"""Golden values for the log-mel front end (src/models/mel), from NumPy and PyTorch.

Independent of the TypeScript code: the Slaney filterbank is written here in
NumPy the way librosa.filters.mel(htk=False, norm='slaney') computes it, and the
STFT is torch.stft(center=True, pad_mode='reflect', periodic Hann) in float64.

Run: /usr/bin/python3 training/goldens/mel_golden.py
Writes src/models/mel/goldens/mel_golden.json (a few tens of KB).
"""

import json
import math
import os

import numpy as np
import torch

SR, N_FFT, HOP, N_MELS, FMIN, FMAX, CLAMP = 22050, 1024, 256, 80, 0.0, 8000.0, 1e-5
ROWS = [0, 1, 2, 9, 30, 50, 79]  # filterbank rows stored in full

# chirp: 0.25 s, 100 Hz -> 8000 Hz linear sweep, amplitude 0.5, rounded to float32
CHIRP_SECONDS, CHIRP_F0, CHIRP_F1, CHIRP_AMP = 0.25, 100.0, 8000.0, 0.5


def hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    f_sp = 200.0 / 3
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(
        f >= min_log_hz,
        min_log_mel + np.log(np.maximum(f, 1e-10) / min_log_hz) / logstep,
        f / f_sp,
    )


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    f_sp = 200.0 / 3
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)


def slaney_filterbank():
    fft_freqs = np.fft.rfftfreq(N_FFT, 1.0 / SR)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(FMIN), hz_to_mel(FMAX), N_MELS + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    enorm = 2.0 / (mel_f[2 : N_MELS + 2] - mel_f[:N_MELS])
    return weights * enorm[:, None]


def chirp():
    n = int(CHIRP_SECONDS * SR)  # 5512 (floor)
    t = np.arange(n, dtype=np.float64) / SR
    k = (CHIRP_F1 - CHIRP_F0) / CHIRP_SECONDS
    x = CHIRP_AMP * np.sin(2 * math.pi * (CHIRP_F0 * t + 0.5 * k * t * t))
    return x.astype(np.float32)


def log_mel(x, fb):
    spec = torch.stft(
        torch.from_numpy(x.astype(np.float64)),
        n_fft=N_FFT,
        hop_length=HOP,
        win_length=N_FFT,
        window=torch.hann_window(N_FFT, periodic=True, dtype=torch.float64),
        center=True,
        pad_mode='reflect',
        onesided=True,
        return_complex=True,
    )
    mag = spec.abs().numpy()  # [bins, frames]
    return np.log(np.maximum(fb @ mag, CLAMP))  # [bands, frames]


def main():
    fb = slaney_filterbank()
    x = chirp()
    lm = log_mel(x, fb)
    assert lm.shape == (N_MELS, len(x) // HOP + 1), lm.shape
    golden = {
        'source': 'training/goldens/mel_golden.py (numpy Slaney filterbank, torch.stft float64)',
        'torch': torch.__version__,
        'config': {
            'sr': SR, 'n_fft': N_FFT, 'hop': HOP, 'n_mels': N_MELS, 'fmin': FMIN, 'fmax': FMAX,
        },
        'filterbank': {
            'shape': list(fb.shape),
            'rows': ROWS,
            'values': [[float('%.10g' % v) for v in fb[r]] for r in ROWS],
            'row_sums': [float('%.10g' % v) for v in fb.sum(axis=1)],
        },
        'chirp': {
            'seconds': CHIRP_SECONDS,
            'f0': CHIRP_F0,
            'f1': CHIRP_F1,
            'amplitude': CHIRP_AMP,
            'samples': len(x),
            # float32 samples, to check the TS chirp is bit-identical
            'checksum': float('%.12g' % float(np.abs(x.astype(np.float64)).sum())),
            'log_mel_shape': list(lm.shape),
            'log_mel': [float('%.7g' % v) for v in lm.reshape(-1)],
        },
    }
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, '..', '..', 'src', 'models', 'mel', 'goldens', 'mel_golden.json')
    with open(out, 'w') as fh:
        json.dump(golden, fh, separators=(',', ':'))
    print('wrote', os.path.normpath(out), os.path.getsize(out), 'bytes')


if __name__ == '__main__':
    main()
