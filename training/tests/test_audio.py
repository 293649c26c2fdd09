"""The training mel must equal the studio's definition: frame count, filter
normalisation, and a pure tone landing in the right band."""

import os
import sys

import numpy as np
import pytest
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from common.audio import HOP, hz_to_mel, load_wav, log_mel, mel_filters, mel_to_hz  # noqa: E402

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "ljspeech", "wavs")


def test_slaney_scale_round_trips_and_is_linear_below_1khz():
    f = np.array([0.0, 500.0, 1000.0, 4000.0, 8000.0])
    assert np.allclose(mel_to_hz(hz_to_mel(f)), f)
    assert np.isclose(hz_to_mel(500.0), 7.5)
    assert np.isclose(hz_to_mel(1000.0), 15.0)


def test_filters_have_unit_area_in_hz():
    w = mel_filters()
    assert w.shape == (80, 513)
    df = 22050 / 1024
    areas = w.sum(axis=1) * df
    # triangles of height 2/(f_hi-f_lo) and base (f_hi-f_lo) have area 1; sampling blurs it
    assert np.all(np.abs(areas - 1) < 0.07)


def test_tone_peaks_in_its_band_and_frames_follow_the_padding_rule():
    t = torch.arange(5000) / 22050
    x = 0.5 * torch.sin(2 * np.pi * 1000 * t)
    m = log_mel(x)[0]
    assert m.shape == (80, 5000 // HOP + 1)
    band = int(torch.argmax(m[:, 10]))
    centres = mel_to_hz(np.linspace(hz_to_mel(0), hz_to_mel(8000), 82))[1:-1]
    assert abs(centres[band] - 1000) < 60


@pytest.mark.skipif(not os.path.isdir(DATA), reason="needs ../shared/data/ljspeech")
def test_loads_a_real_recording():
    x, rate = load_wav(os.path.join(DATA, "LJ001-0001.wav"))
    assert rate == 22050 and x.ndim == 1 and 0.1 < np.abs(x).max() <= 1.0
