"""Sentiment transfer from a pretrained byte mLSTM, measured in PyTorch (the
WGSL path computes the same features to ~1e-6, see src/models/mlstm/goldens).

/usr/bin/python3 training/mlstm/transfer.py --checkpoint runs/mlstm/checkpoint.pt --out runs/mlstm/transfer.json

- SST binary: L1 logistic regression on the final cell state (features
  standardised with training statistics; the penalty chosen on the validation
  set), accuracy, the sentiment unit (largest |weight|) and the number of units
  used; a bag-of-words baseline (hashed word unigrams + bigrams) fitted the
  same way; accuracy against the number of labels (10, 100, 1000, all).
- SemEval-2018 E-c: one L1 logistic regression per emotion (11), macro F1 and
  Jaccard accuracy on the validation set.
Validation picks the penalty and reports the accuracy, which is optimistic;
the SST test split is deliberately absent from ../shared/data."""

import argparse
import csv
import json
import os
import random
import re
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from mlstm.model import MLSTM, MLSTMConfig, encode  # noqa: E402

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")
LAMBDAS = (3e-1, 1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4)


def read_csv(path, text_col, label_cols):
    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r[text_col].strip()]
    texts = [r[text_col] for r in rows]
    labels = torch.tensor([[float(r[c]) for c in label_cols] for r in rows])
    return texts, labels


@torch.no_grad()
def featurize(model, texts, batch=64):
    order = sorted(range(len(texts)), key=lambda i: len(texts[i].encode("utf-8")))
    out = torch.zeros(len(texts), model.config.hidden)
    for k in range(0, len(order), batch):
        idx = order[k : k + batch]
        data, lengths = encode([texts[i] for i in idx])
        out[idx] = model.features(data, lengths)
    return out


def lipschitz(x, iterations=50):
    """0.25 * ||x||_2^2 / n by power iteration (an SVD of a wide bag-of-words matrix takes minutes)."""
    v = torch.randn(x.shape[1], generator=torch.Generator().manual_seed(0))
    for _ in range(iterations):
        v = x.T @ (x @ v)
        v = v / (v.norm() + 1e-12)
    top = float((x @ v).norm() ** 2)
    return 0.25 * top / x.shape[0] * 1.05 + 1e-6  # 5% margin: power iteration underestimates


def fit_l1(x, y, lam, steps=400, lip=None):
    """min mean BCE(x w + b, y) + lam |w|_1 by FISTA (bias not penalised)."""
    n, d = x.shape
    step = 1.0 / (lip if lip is not None else lipschitz(x))
    w = torch.zeros(d)
    b = torch.zeros(())
    zw, zb, t = w.clone(), b.clone(), 1.0
    for _ in range(steps):
        p = torch.sigmoid(x @ zw + zb)
        gw = x.T @ (p - y) / n
        gb = (p - y).mean()
        w_next = zw - step * gw
        w_next = torch.sign(w_next) * torch.clamp(w_next.abs() - step * lam, min=0)
        b_next = zb - step * gb
        t_next = (1 + (1 + 4 * t * t) ** 0.5) / 2
        zw = w_next + (t - 1) / t_next * (w_next - w)
        zb = b_next + (t - 1) / t_next * (b_next - b)
        w, b, t = w_next, b_next, t_next
    return w, b


def standardise(train, *others):
    mean, std = train.mean(0), train.std(0) + 1e-6
    return [(a - mean) / std for a in (train, *others)]


def best_on_val(xt, yt, xv, yv):
    best = None
    lip = lipschitz(xt)
    for lam in LAMBDAS:
        w, b = fit_l1(xt, yt, lam, lip=lip)
        acc = float(((xv @ w + b > 0).float() == yv).float().mean())
        # ties go to the sparser model (larger lambda comes first)
        if best is None or acc > best["accuracy"]:
            best = {"accuracy": acc, "lambda": lam, "w": w, "b": b}
    return best


def bag_of_words(texts, dim=1 << 14):
    x = torch.zeros(len(texts), dim)
    for i, text in enumerate(texts):
        words = re.findall(r"[a-z0-9']+|[^\sa-z0-9']", text.lower())
        grams = words + [a + " " + b for a, b in zip(words, words[1:])]
        for g in grams:
            x[i, hash_text(g) % dim] = 1.0
    return x


def hash_text(s):
    h = 2166136261  # FNV-1a: stable across runs, unlike Python's hash()
    for byte in s.encode("utf-8"):
        h = ((h ^ byte) * 16777619) & 0xFFFFFFFF
    return h


def sst(model, sizes, seed):
    train_t, train_y = read_csv(os.path.join(DATA, "sst", "train.csv"), "sentence", ["label"])
    val_t, val_y = read_csv(os.path.join(DATA, "sst", "val.csv"), "sentence", ["label"])
    train_y, val_y = train_y[:, 0], val_y[:, 0]
    start = time.time()
    ft, fv = featurize(model, train_t), featurize(model, val_t)
    seconds = time.time() - start
    xt, xv = standardise(ft, fv)
    bt, bv = bag_of_words(train_t), bag_of_words(val_t)
    result = {"featurize_seconds": round(seconds, 1), "train": len(train_t), "val": len(val_t)}
    full = best_on_val(xt, train_y, xv, val_y)
    unit = int(torch.argmax(full["w"].abs()))
    result["mlstm"] = {"accuracy": full["accuracy"], "lambda": full["lambda"], "sentiment_unit": unit,
                       "unit_weight": float(full["w"][unit]), "units_used": int((full["w"] != 0).sum())}
    # the sentiment unit alone: threshold one feature
    single = best_on_val(xt[:, unit : unit + 1], train_y, xv[:, unit : unit + 1], val_y)
    result["sentiment_unit_alone_accuracy"] = single["accuracy"]
    result["bag_of_words"] = {"accuracy": best_on_val(bt, train_y, bv, val_y)["accuracy"]}
    rng = random.Random(seed)
    curve = []
    for size in sizes:
        n = len(train_t) if size == "all" else int(size)
        pos = [i for i in range(len(train_t)) if train_y[i] == 1]
        neg = [i for i in range(len(train_t)) if train_y[i] == 0]
        idx = rng.sample(pos, n // 2) + rng.sample(neg, n - n // 2) if n < len(train_t) else list(range(n))
        idx_t = torch.tensor(idx)
        xs, xvs = standardise(ft[idx_t], fv)
        curve.append({
            "labels": n,
            "mlstm": best_on_val(xs, train_y[idx_t], xvs, val_y)["accuracy"],
            "bag_of_words": best_on_val(bt[idx_t], train_y[idx_t], bv, val_y)["accuracy"],
        })
        print(json.dumps(curve[-1]), flush=True)
    result["curve"] = curve
    return result


def semeval(model):
    emotions = ["anger", "anticipation", "disgust", "fear", "joy", "love", "optimism", "pessimism",
                "sadness", "surprise", "trust"]
    train_t, train_y = read_csv(os.path.join(DATA, "semeval", "train.csv"), "Tweet", emotions)
    val_t, val_y = read_csv(os.path.join(DATA, "semeval", "val.csv"), "Tweet", emotions)
    xt, xv = standardise(featurize(model, train_t), featurize(model, val_t))
    preds = torch.zeros_like(val_y)
    for e in range(len(emotions)):
        best = best_on_val(xt, train_y[:, e], xv, val_y[:, e])
        preds[:, e] = (xv @ best["w"] + best["b"] > 0).float()
    f1s = []
    for e in range(len(emotions)):
        tp = float((preds[:, e] * val_y[:, e]).sum())
        fp = float((preds[:, e] * (1 - val_y[:, e])).sum())
        fn = float(((1 - preds[:, e]) * val_y[:, e]).sum())
        f1s.append(2 * tp / max(2 * tp + fp + fn, 1e-9))
    inter = (preds * val_y).sum(1)
    union = ((preds + val_y) > 0).float().sum(1)
    jaccard = torch.where(union > 0, inter / union.clamp(min=1), torch.ones_like(union)).mean()
    return {"macro_f1": sum(f1s) / len(f1s), "jaccard": float(jaccard),
            "f1": dict(zip(emotions, [round(f, 4) for f in f1s]))}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--out", required=True, help="JSON file for the figures")
    p.add_argument("--sizes", default="10,100,1000,all")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0)
    args = p.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    ckpt = torch.load(args.checkpoint, map_location="cpu")
    model = MLSTM(MLSTMConfig.from_json(ckpt["config"]))
    model.load_state_dict(ckpt["model"])
    model.eval()
    result = {"checkpoint": args.checkpoint, "step": ckpt.get("step")}
    result["sst"] = sst(model, args.sizes.split(","), args.seed)
    print(json.dumps({k: v for k, v in result["sst"].items() if k != "curve"}), flush=True)
    result["semeval"] = semeval(model)
    print(json.dumps(result["semeval"]), flush=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
