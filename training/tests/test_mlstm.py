"""Quick checks of the PyTorch mLSTM twin: shapes, masking of padded texts,
that Adam lowers the loss on a short text, weight-norm folding, and export."""

import json
import os
import sys

import pytest
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from common.safetensors_io import load_safetensors  # noqa: E402
from mlstm.model import MLSTM, MLSTMConfig, encode, next_byte_loss, plain_model, weight_shapes  # noqa: E402


def tiny(weight_norm=False, seed=0):
    torch.manual_seed(seed)
    return MLSTM(MLSTMConfig(embed_dim=8, hidden=12, weight_norm=weight_norm))


def test_shapes_of_states_logits_and_features():
    model = tiny()
    data, lengths = encode(["hello", "hi", "a longer text"])
    hs, (h, c) = model(data, lengths)
    assert hs.shape == (3, 13, 12) and h.shape == (3, 12) and c.shape == (3, 12)
    assert model.logits(hs).shape == (3, 13, 256)
    assert model.features(data, lengths).shape == (3, 12)
    assert model.features(data, lengths, pool="mean").shape == (3, 12)
    with pytest.raises(ValueError, match="pool"):
        model.features(data, lengths, pool="max")
    with pytest.raises(ValueError, match="empty text"):
        encode(["ok", ""])


def test_padding_does_not_change_a_texts_states():
    model = tiny()
    data, lengths = encode(["short", "a much longer one"])
    with torch.no_grad():
        hs, (h, c) = model(data, lengths)
        alone_hs, (alone_h, alone_c) = model(data[:1, :5])
        mean = model.features(data, lengths, pool="mean")
    assert torch.allclose(c[0], alone_c[0], atol=1e-6)
    assert torch.allclose(h[0], alone_h[0], atol=1e-6)
    assert torch.allclose(hs[0, 4:], alone_h[0].expand(13, -1), atol=1e-6)  # held after the end
    assert torch.allclose(mean[0], alone_hs[0].mean(0), atol=1e-6)


def test_a_few_adam_steps_lower_the_loss_on_a_short_text():
    model = tiny()
    data, lengths = encode(["the cat sat on the mat. the cat sat on the mat."])
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(20):
        loss = next_byte_loss(model, data, lengths)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] - 0.5, losses


def test_weight_norm_folding_preserves_outputs():
    model = tiny(weight_norm=True)
    with torch.no_grad():
        for name in ("wmx", "wmh", "wx", "wm"):
            getattr(model, name).weight_g.mul_(torch.rand_like(getattr(model, name).weight_g) + 0.5)
    data, lengths = encode(["weight norm", "folds"])
    plain = plain_model(model)
    assert not any(n.endswith("_g") for n in plain.state_dict())
    with torch.no_grad():
        hs, (_, c) = model(data, lengths)
        hs2, (_, c2) = plain(data, lengths)
    assert torch.allclose(hs, hs2, atol=1e-5) and torch.allclose(c, c2, atol=1e-5)


def test_export_writes_weights_config_and_onnx(tmp_path):
    from mlstm.export import export

    model = tiny(weight_norm=True)
    export(model, str(tmp_path), onnx=True)
    weights = load_safetensors(str(tmp_path / "weights.safetensors"))
    assert {k: list(v.shape) for k, v in weights.items()} == weight_shapes(model.config)
    config = json.loads((tmp_path / "config.json").read_text())
    assert config["type"] == "mlstm" and config["hidden"] == 12
    assert (tmp_path / "step.onnx").stat().st_size > 1000
