"""Speech data for WaveGlow: WAV files cut into random segments, each with
the log-mel of that segment (as the reference WaveGlow trains)."""

import glob
import os
import random

import torch

from common.audio import SAMPLE_RATE, load_wav, log_mel

# LJ Speech utterances never used for training: the quality figures use these.
HELD_OUT = ("LJ001-0025", "LJ001-0026", "LJ001-0027", "LJ001-0028")


def split_files(folder):
    files = sorted(glob.glob(os.path.join(folder, "*.wav")))
    if not files:
        raise FileNotFoundError(f"no .wav files in {folder}")
    held = [f for f in files if os.path.basename(f)[:-4] in HELD_OUT]
    train = [f for f in files if f not in held]
    return train, held


class SegmentDataset(torch.utils.data.Dataset):
    def __init__(self, files, segment_length, seed=0):
        self.audio = []
        for f in files:
            x, rate = load_wav(f)
            if rate != SAMPLE_RATE:
                raise ValueError(f"{f}: sample rate {rate} (expected {SAMPLE_RATE}); resample it first")
            self.audio.append(torch.from_numpy(x.copy()))
        self.segment_length = segment_length
        self.rng = random.Random(seed)

    def __len__(self):
        return len(self.audio) * 8  # several random segments per file and epoch

    def __getitem__(self, i):
        x = self.audio[i % len(self.audio)]
        n = self.segment_length
        if len(x) >= n:
            start = self.rng.randint(0, len(x) - n)
            seg = x[start : start + n]
        else:
            seg = torch.nn.functional.pad(x, (0, n - len(x)))
        return log_mel(seg)[0], seg
