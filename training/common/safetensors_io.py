"""Minimal safetensors reader/writer (F32, or F16 to halve a file), so training needs no package
beyond Debian's python3-torch. Format: u64 little-endian header length, a JSON
header {name: {dtype, shape, data_offsets}}, then the raw little-endian bytes."""

import json
import struct

import numpy as np


def save_safetensors(path, tensors, metadata=None, dtype="F32"):
    if dtype not in ("F32", "F16"):
        raise ValueError(f"safetensors: dtype {dtype} (expected F32 or F16)")
    header = {}
    offset = 0
    blobs = []
    for name in sorted(tensors):
        array = np.ascontiguousarray(np.asarray(tensors[name], dtype="<f4" if dtype == "F32" else "<f2"))
        data = array.tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # align the data to 8 bytes
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def load_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + length])
    base = 8 + length
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in ("F32", "F16"):
            raise ValueError(f"safetensors: {name} has dtype {info['dtype']} (expected F32 or F16)")
        start, end = info["data_offsets"]
        kind = "<f4" if info["dtype"] == "F32" else "<f2"
        out[name] = np.frombuffer(raw[base + start : base + end], dtype=kind).astype(np.float32).reshape(info["shape"])
    return out
