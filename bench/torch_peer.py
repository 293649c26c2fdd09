"""The PyTorch side of `semilab bench vocoder` and `semilab bench mlstm`: loads an
exported model (config.json + folded weights.safetensors) into the PyTorch twin,
times CPU inference on the inputs the CLI wrote, writes its outputs next to them
and exports the ONNX graph that onnxruntime-web runs next to the studio's own
TS-built graph (WaveGlow: the whole synthesis; mLSTM: one recurrent step, by
training/mlstm/export.py's Step). Prints one JSON line on stdout.

  /usr/bin/python3 bench/torch_peer.py vocoder --model public/models/waveglow --dir CACHE
  /usr/bin/python3 bench/torch_peer.py mlstm --model public/models/mlstm --dir CACHE
  /usr/bin/python3 bench/torch_peer.py goldens   (parity on src/models/*/goldens, for the test)

Inputs in --dir: vocoder: input.json {frames, groups, sigma}, mel.f32 [n_mel, frames],
noise.f32 [n_group, groups]; mlstm: input.json {texts, prefix, steps}. Raw files are
little-endian float32."""

import argparse
import hashlib
import json
import os
import struct
import sys
import time

import numpy as np
import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.path.join(ROOT, "training"))
from mlstm.export import Step  # noqa: E402
from mlstm.model import MLSTM, MLSTMConfig, encode  # noqa: E402
from waveglow.export import InferWithNoise  # noqa: E402
from waveglow.model import WaveGlow, WaveGlowConfig  # noqa: E402

#: bump when the exported graph changes, so cached ONNX files are rebuilt
EXPORT_VERSION = 1


def read_safetensors(path):
    """name -> float32 array; F32, F16 and BF16 (training/common's reader lacks BF16)."""
    with open(path, "rb") as f:
        raw = f.read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + length])
    base = 8 + length
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        blob = raw[base + start : base + end]
        kind = info["dtype"]
        if kind == "F32":
            a = np.frombuffer(blob, dtype="<f4")
        elif kind == "F16":
            a = np.frombuffer(blob, dtype="<f2").astype(np.float32)
        elif kind == "BF16":
            a = (np.frombuffer(blob, dtype="<u2").astype("<u4") << 16).view("<f4")
        else:
            raise ValueError(f"{path}: {name} has dtype {kind} (expected F32, F16 or BF16)")
        out[name] = a.astype(np.float32).reshape(info["shape"])
    return out


def load_waveglow(model_dir):
    """The twin without weight norm, holding the folded weights; 1x1 inverses cached."""
    with open(os.path.join(model_dir, "config.json")) as f:
        config = WaveGlowConfig.from_json(f.read())
    model = WaveGlow(config)
    # the checkpoint is exported folded: drop weight norm so the names match
    for module in model.modules():
        if hasattr(module, "weight_g"):
            torch.nn.utils.remove_weight_norm(module)
    weights = read_safetensors(os.path.join(model_dir, "weights.safetensors"))
    model.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in weights.items()}, strict=True)
    for conv in model.convinv:
        conv.cache_inverse()
    return model.eval()


def load_mlstm(model_dir):
    with open(os.path.join(model_dir, "config.json")) as f:
        config = MLSTMConfig.from_json(f.read())
    if config.weight_norm:
        raise ValueError(f"{model_dir}/config.json: weight_norm is true (expected folded weights)")
    model = MLSTM(config)
    weights = read_safetensors(os.path.join(model_dir, "weights.safetensors"))
    model.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in weights.items()}, strict=True)
    return model.eval()


def median_time(reps, fn):
    """Median seconds of `reps` runs after one warm-up; returns (seconds, last result)."""
    out = fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), out


def read_f32(path, shape):
    return torch.from_numpy(np.fromfile(path, dtype="<f4").reshape(shape).copy())


def file_digest(*paths, extra=""):
    h = hashlib.sha256(extra.encode())
    for p in paths:
        with open(p, "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:16]


def vocoder(args):
    with open(os.path.join(args.dir, "input.json")) as f:
        spec = json.load(f)
    model = load_waveglow(args.model)
    c = model.config
    frames, groups, sigma = spec["frames"], spec["groups"], spec["sigma"]
    mel = read_f32(os.path.join(args.dir, "mel.f32"), (1, c.n_mel_channels, frames))
    noise = read_f32(os.path.join(args.dir, "noise.f32"), (1, c.n_group, groups))
    result = {"torch": torch.__version__, "threads": torch.get_num_threads()}

    # ONNX for onnxruntime-web, cached by model files, sigma and frames
    key = file_digest(os.path.join(args.model, "config.json"), os.path.join(args.model, "weights.safetensors"),
                      extra=f"v{EXPORT_VERSION} sigma={sigma} frames={frames}")
    onnx_name = f"waveglow-{key}.onnx"
    onnx_path = os.path.join(args.cache, onnx_name)
    if not os.path.exists(onnx_path):
        start = time.perf_counter()
        tmp = onnx_path + ".tmp"
        with torch.no_grad():
            torch.onnx.export(InferWithNoise(model, sigma), (mel, noise), tmp, input_names=["mel", "noise"],
                              output_names=["audio"], opset_version=17,
                              dynamic_axes={"mel": {2: "frames"}, "noise": {2: "groups"},
                                            "audio": {1: "samples"}})
        os.replace(tmp, onnx_path)
        result["exportSeconds"] = time.perf_counter() - start
    result["onnx"] = onnx_path

    with torch.no_grad():
        seconds, audio = median_time(args.reps, lambda: model.infer(mel, sigma=sigma, noise=noise))
    audio.numpy().astype("<f4").tofile(os.path.join(args.dir, "torch_audio.f32"))
    result.update(seconds=seconds, samples=int(audio.shape[1]), runs=args.reps)
    return result


def greedy(model, prefix, steps):
    """As MlstmModel.generate at temperature 0: read `prefix`, then `steps` argmax bytes."""
    data, _ = encode([prefix])
    _, (h, c) = model(data)
    out = []
    for k in range(steps):
        byte = int(model.logits(h)[0].argmax())
        out.append(byte)
        if k + 1 == steps:
            break
        h, c = model.step(model.embed(torch.tensor([byte])), h, c)
    return out


def export_mlstm_step(model, model_dir, cache):
    """One recurrent step (byte, h, c -> logits, h_next, c_next) as ONNX, batch axis dynamic,
    as training/mlstm/export.py writes it; cached by the model files. Returns (path, seconds
    or None when cached)."""
    files = [os.path.join(model_dir, name) for name in ("config.json", "weights.safetensors")]
    key = file_digest(*files, extra=f"v{EXPORT_VERSION} mlstm step")
    onnx_path = os.path.join(cache, f"mlstm-step-{key}.onnx")
    if os.path.exists(onnx_path):
        return onnx_path, None
    start = time.perf_counter()
    hid = model.config.hidden
    tmp = onnx_path + ".tmp"
    names = ("byte", "h", "c", "logits", "h_next", "c_next")
    with torch.no_grad():
        torch.onnx.export(Step(model), (torch.zeros(2), torch.zeros(2, hid), torch.zeros(2, hid)),
                          tmp, input_names=list(names[:3]), output_names=list(names[3:]),
                          opset_version=17, dynamic_axes={k: {0: "batch"} for k in names})
    os.replace(tmp, onnx_path)
    return onnx_path, time.perf_counter() - start


def mlstm(args):
    with open(os.path.join(args.dir, "input.json")) as f:
        spec = json.load(f)
    model = load_mlstm(args.model)
    data, lengths = encode(spec["texts"])
    prefix = spec["prefix"].encode("utf-8")
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "runs": args.reps}
    result["onnx"], exported = export_mlstm_step(model, args.model, args.cache)
    if exported is not None:
        result["exportSeconds"] = exported
    with torch.no_grad():
        seconds, feats = median_time(args.reps, lambda: model.features(data, lengths, pool="final"))
        feats.numpy().astype("<f4").tofile(os.path.join(args.dir, "torch_features.f32"))
        result["featurizeSeconds"] = seconds
        gen_seconds, generated = median_time(args.reps, lambda: greedy(model, prefix, spec["steps"]))
    result.update(generateSeconds=gen_seconds, generated=generated)
    return result


def goldens(_args):
    """Max |ours - golden| when the goldens' folded weights go through this loader."""
    out = {}
    wg_dir = os.path.join(ROOT, "src", "models", "waveglow", "goldens")
    model = load_waveglow(wg_dir)
    io = read_safetensors(os.path.join(wg_dir, "io.safetensors"))
    with open(os.path.join(wg_dir, "io.safetensors"), "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        sigma = float(json.loads(f.read(length))["__metadata__"]["sigma"])
    with torch.no_grad():
        audio = model.infer(torch.from_numpy(io["mel"]), sigma=sigma, noise=torch.from_numpy(io["noise"]))
    out["waveglowAudioMaxDiff"] = float(np.abs(audio.numpy() - io["audio"]).max())
    out["waveglowAudioMaxAbs"] = float(np.abs(io["audio"]).max())

    ml_dir = os.path.join(ROOT, "src", "models", "mlstm", "goldens")
    model = load_mlstm(ml_dir)
    expected = read_safetensors(os.path.join(ml_dir, "expected.safetensors"))
    with open(os.path.join(ml_dir, "texts.json")) as f:
        texts = [bytes(t) for t in json.load(f)["texts"]]
    data, lengths = encode(texts)
    with torch.no_grad():
        feats = model.features(data, lengths, pool="final")
    out["mlstmFinalCMaxDiff"] = float(np.abs(feats.numpy() - expected["c_final"]).max())
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("task", choices=["vocoder", "mlstm", "goldens"])
    p.add_argument("--model", help="folder with config.json and weights.safetensors")
    p.add_argument("--dir", help="folder with input.json and the input arrays; outputs go here")
    p.add_argument("--cache", help="folder for exported ONNX files (default: --dir)")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    args.cache = args.cache or args.dir
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    result = {"vocoder": vocoder, "mlstm": mlstm, "goldens": goldens}[args.task](args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
