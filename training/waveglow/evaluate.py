"""Quality of a WaveGlow checkpoint on held-out recordings, next to
Griffin-Lim (60 iterations) on the same mels.

/usr/bin/python3 training/waveglow/evaluate.py --checkpoint runs/wg/checkpoint.pt --out runs/wg/eval
/usr/bin/python3 training/waveglow/evaluate.py --weights public/models/waveglow --out /tmp/wg-eval \
    --sigma 0.3 --denoise 0 0.1 0.3

For each held-out utterance (never used in training, see data.HELD_OUT):
mel -> audio by WaveGlow (sigma) and by Griffin-Lim on the pseudo-inverse of
the mel filterbank; WaveGlow also after the denoiser at each --denoise strength
(as the studio plays and exports it); all compared with the original recording by
  - log-mel MAE: mean |log-mel(synth) - log-mel(original)| (nats), and
  - multi-resolution STFT distance at FFT 512/1024/2048 (hop = FFT/4):
    spectral convergence + mean |log magnitude difference|, averaged.
Writes the WAVs (to listen to) and results.json."""

import argparse
import json
import os
import sys
import wave

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from common.audio import HOP, N_FFT, SAMPLE_RATE, load_wav, log_mel, mel_filters  # noqa: E402
from waveglow.data import split_files  # noqa: E402
from waveglow.denoiser import bias_spectrum, denoise  # noqa: E402
from waveglow.export import load_checkpoint, load_exported  # noqa: E402
from waveglow.train import DEFAULT_DATA  # noqa: E402


def griffin_lim(mel_log, iterations=60, seed=0):
    """log-mel [80, F] -> audio: least-squares magnitude from the filterbank, then GL phase."""
    fb = torch.from_numpy(mel_filters()).float()  # [80, 513]
    mel = torch.exp(mel_log)
    magnitude = torch.clamp(torch.linalg.pinv(fb) @ mel, min=0.0)  # [513, F]
    window = torch.hann_window(N_FFT, periodic=True)
    g = torch.Generator().manual_seed(seed)
    angles = torch.exp(2j * np.pi * torch.rand(magnitude.shape, generator=g))
    spec = magnitude * angles
    for _ in range(iterations):
        audio = torch.istft(spec, N_FFT, hop_length=HOP, win_length=N_FFT, window=window, center=True)
        rebuilt = torch.stft(audio, N_FFT, hop_length=HOP, win_length=N_FFT, window=window,
                             center=True, pad_mode="reflect", return_complex=True)
        spec = magnitude * torch.exp(1j * torch.angle(rebuilt))
    return torch.istft(spec, N_FFT, hop_length=HOP, win_length=N_FFT, window=window, center=True)


def stft_distance(x, y):
    """Multi-resolution STFT distance (lower is better)."""
    n = min(len(x), len(y))
    x, y = x[:n], y[:n]
    total = 0.0
    for fft in (512, 1024, 2048):
        w = torch.hann_window(fft)
        sx = torch.stft(x, fft, hop_length=fft // 4, window=w, return_complex=True).abs() + 1e-7
        sy = torch.stft(y, fft, hop_length=fft // 4, window=w, return_complex=True).abs() + 1e-7
        convergence = torch.linalg.norm(sy - sx) / torch.linalg.norm(sy)
        log_l1 = torch.mean(torch.abs(torch.log(sx) - torch.log(sy)))
        total += float(convergence + log_l1)
    return total / 3


def log_mel_mae(x, reference_mel):
    m = log_mel(x)[0]
    f = min(m.shape[1], reference_mel.shape[1])
    return float(torch.mean(torch.abs(m[:, :f] - reference_mel[:, :f])))


def write_wav(path, audio):
    pcm = (np.clip(audio.numpy(), -1, 1) * 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm.tobytes())


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoint", help="a training checkpoint (train.py)")
    source.add_argument("--weights", help="an exported folder (config.json + weights.safetensors)")
    p.add_argument("--data", default=DEFAULT_DATA)
    p.add_argument("--out", required=True)
    p.add_argument("--sigma", type=float, default=0.6)
    p.add_argument("--gl-iterations", type=int, default=60)
    p.add_argument("--denoise", type=float, nargs="*", default=[],
                   help="denoiser strengths to evaluate besides the raw output (e.g. 0.1 0.3)")
    args = p.parse_args()
    torch.manual_seed(0)
    model, _ = load_checkpoint(args.checkpoint) if args.checkpoint else load_exported(args.weights)
    for conv in model.convinv:
        conv.cache_inverse()
    _, held_out = split_files(args.data)
    bias = bias_spectrum(model) if args.denoise else None
    os.makedirs(args.out, exist_ok=True)
    rows = []
    for path in held_out:
        name = os.path.basename(path)[:-4]
        x = torch.from_numpy(load_wav(path)[0].copy())
        mel = log_mel(x)  # [1, 80, F]
        with torch.no_grad():
            wg = model.infer(mel, sigma=args.sigma)[0]
        gl = griffin_lim(mel[0], args.gl_iterations)
        row = {"utterance": name, "seconds": round(len(x) / SAMPLE_RATE, 2)}
        outputs = [("waveglow", wg)]
        outputs += [(f"waveglow_denoise{d:g}", denoise(wg, bias, d)) for d in args.denoise if d > 0]
        outputs.append(("griffin_lim", gl))
        for label, audio in outputs:
            row[f"{label}_log_mel_mae"] = round(log_mel_mae(audio, mel[0]), 4)
            row[f"{label}_stft_distance"] = round(stft_distance(audio, x), 4)
            write_wav(os.path.join(args.out, f"{name}.{label}.wav"), audio)
        write_wav(os.path.join(args.out, f"{name}.original.wav"), x)
        rows.append(row)
        print(json.dumps(row), flush=True)
    mean = {k: round(float(np.mean([r[k] for r in rows])), 4) for k in rows[0] if k not in ("utterance", "seconds")}
    print(json.dumps({"mean": mean}))
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"checkpoint": args.checkpoint, "weights": args.weights, "sigma": args.sigma, "rows": rows, "mean": mean}, f, indent=2)


if __name__ == "__main__":
    main()
