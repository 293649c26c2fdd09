"""Quick checks of training/mlstm/finetune.py: on a tiny random mLSTM, two
steps of the fine-tuning recipe lower the loss and move both the LM and the
head; the best state and the exported files come back."""

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from common.safetensors_io import load_safetensors  # noqa: E402
from mlstm.finetune import Finetuner, export, finetune, loss_of, pad, read_sst  # noqa: E402
from mlstm.model import MLSTM, MLSTMConfig  # noqa: E402

TEXTS = [b"good fun", b"awful mess", b"a joy", b"so dull"]
LABELS = [1, 0, 1, 0]


def tiny():
    torch.manual_seed(0)
    return Finetuner(MLSTM(MLSTMConfig(embed_dim=8, hidden=12)))


def args(**kw):
    base = dict(epochs=1, batch=4, lr=5e-2, lr_lm=1e-2, lm_weight=0.0, clip=1.0, max_bytes=6,
                eval_every=0, seconds=0, seed=0)
    return argparse.Namespace(**{**base, **kw})


def test_two_steps_lower_the_loss_and_move_the_lm_and_the_head():
    net = tiny()
    data, lengths = pad(TEXTS, 6)
    assert data.shape == (4, 6) and lengths.tolist() == [6, 6, 5, 6]  # cut to max_bytes
    labels = torch.tensor(LABELS)
    before = loss_of(net, data, lengths, labels, 0.0).item()
    wm = net.lm.wm.weight.detach().clone()
    _, history = finetune(net, (TEXTS, LABELS), (TEXTS, LABELS), args(epochs=2), log=lambda _: None)
    after = loss_of(net, data, lengths, labels, 0.0).item()
    assert len(history["steps"]) == 2
    assert abs(before - 0.6931) < 1e-3  # a zero head starts at log 2
    assert after < before - 0.01, (before, after)
    assert (net.lm.wm.weight - wm).abs().max() > 1e-4
    assert net.head.weight.abs().max() > 1e-3
    assert [e["step"] for e in history["evals"]] == [0, 1, 2]


def test_the_auxiliary_lm_loss_adds_to_the_classification_loss():
    net = tiny()
    data, lengths = pad(TEXTS, 6)
    labels = torch.tensor(LABELS)
    plain = loss_of(net, data, lengths, labels, 0.0).item()
    with_lm = loss_of(net, data, lengths, labels, 0.5).item()
    assert with_lm > plain + 0.5 * 4.0  # next-byte loss of a random model is about log 256 = 5.5


def test_export_writes_weights_and_a_head(tmp_path):
    net = tiny()
    export(net, str(tmp_path))
    weights = load_safetensors(str(tmp_path / "weights.safetensors"))
    assert weights["wm.weight"].shape == (48, 12)
    head = json.loads((tmp_path / "classifier.json").read_text())
    assert head["format"] == "semilab.sentiment-classifier" and len(head["w"]) == 12
    assert head["mean"] == [0.0] * 12 and head["std"] == [1.0] * 12


def test_non_binary_labels_are_refused(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("label,sentence\n1,good\n3,meh\n")
    try:
        read_sst(str(p))
    except ValueError as err:
        assert "non-binary labels" in str(err) and "'3'" in str(err)
    else:
        raise AssertionError("expected a ValueError")
