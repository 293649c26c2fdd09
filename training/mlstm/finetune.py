"""Fine-tune the byte mLSTM and a sentiment head end to end on SST binary (the
PyTorch twin of src/models/sentiment/finetune.ts: the same recipe and defaults).

/usr/bin/python3 training/mlstm/finetune.py --weights public/models/mlstm --out /tmp/ft.json \
    --threads 1 --seconds 2400

Recipe: head = logistic regression on the final cell state c_T (zeros at the
start); loss = binary cross-entropy (+ --lm-weight x next-byte loss, default 0:
the auxiliary loss costs a 256-way softmax per byte and did not pay on CPU
budgets); Adam with a smaller learning rate for the LM (--lr-lm) than for the
head (--lr); the global gradient norm clipped to --clip; each text cut to its
first --max-bytes bytes; validation accuracy after every epoch (and every
--eval-every steps); the best state is kept (and written with --export)."""

import argparse
import copy
import csv
import json
import os
import random
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from common.safetensors_io import load_safetensors, save_safetensors  # noqa: E402
from mlstm.model import MLSTM, MLSTMConfig, next_byte_loss  # noqa: E402

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "sst")


def read_sst(path, limit=0):
    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["sentence"].strip()]
    bad = [r["label"] for r in rows if r["label"] not in ("0", "1")]
    if bad:
        raise ValueError(
            f"finetune: {path} has non-binary labels (expected 0 or 1, got {bad[0]!r})")
    if limit:
        rows = rows[:limit]
    return [r["sentence"].encode("utf-8") for r in rows], [int(r["label"]) for r in rows]


def load_model(folder):
    with open(os.path.join(folder, "config.json")) as f:
        config = MLSTMConfig.from_json(f.read())
    model = MLSTM(config)
    arrays = load_safetensors(os.path.join(folder, "weights.safetensors"))
    model.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in arrays.items()})
    return model


def pad(texts, max_bytes):
    """bytes list -> (data [N, T] int64, lengths [N]), each text cut to its first max_bytes."""
    cut = [t[:max_bytes] for t in texts]
    t = max(len(c) for c in cut)
    data = torch.zeros(len(cut), t, dtype=torch.long)
    for k, c in enumerate(cut):
        data[k, : len(c)] = torch.tensor(list(c), dtype=torch.long)
    return data, torch.tensor([len(c) for c in cut], dtype=torch.long)


class Finetuner(torch.nn.Module):
    def __init__(self, lm):
        super().__init__()
        self.lm = lm
        self.head = torch.nn.Linear(lm.config.hidden, 1)
        with torch.no_grad():
            self.head.weight.zero_()
            self.head.bias.zero_()

    def forward(self, data, lengths):
        """logits [N] and the final states."""
        return self.head(self.lm.features(data, lengths)).squeeze(1)


def loss_of(net, data, lengths, labels, lm_weight):
    logits = net(data, lengths)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels.float())
    if lm_weight > 0:
        loss = loss + lm_weight * next_byte_loss(net.lm, data, lengths)
    return loss


@torch.no_grad()
def accuracy(net, texts, labels, max_bytes, batch=64):
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    right = 0
    for k in range(0, len(order), batch):
        idx = order[k : k + batch]
        data, lengths = pad([texts[i] for i in idx], max_bytes)
        pred = (net(data, lengths) > 0).long()
        right += int((pred == torch.tensor([labels[i] for i in idx])).sum())
    return right / len(texts)


def batches_of(n, batch, rng, texts):
    """Shuffled minibatches of texts of similar length (less padding)."""
    idx = list(range(n))
    rng.shuffle(idx)
    group = batch * 8
    chunks = [sorted(idx[k : k + group], key=lambda i: len(texts[i])) for k in range(0, n, group)]
    out = [c[k : k + batch] for c in chunks for k in range(0, len(c), batch)]
    rng.shuffle(out)
    return out


def finetune(net, train, val, args, log=print):
    """Trains in place; returns (best state, history)."""
    opt = torch.optim.Adam([
        {"params": net.lm.parameters(), "lr": args.lr_lm},
        {"params": net.head.parameters(), "lr": args.lr},
    ])
    rng = random.Random(args.seed)
    start = time.time()
    history = {"steps": [], "evals": []}
    best = {"accuracy": accuracy(net, *val, args.max_bytes), "step": 0, "epoch": 0}
    best_state = copy.deepcopy(net.state_dict())
    history["evals"].append({"step": 0, "epoch": 0, "accuracy": best["accuracy"], "seconds": 0})
    log(json.dumps(history["evals"][-1]))
    step = 0
    stopped = False
    for epoch in range(1, args.epochs + 1):
        for idx in batches_of(len(train[0]), args.batch, rng, train[0]):
            data, lengths = pad([train[0][i] for i in idx], args.max_bytes)
            labels = torch.tensor([train[1][i] for i in idx])
            loss = loss_of(net, data, lengths, labels, args.lm_weight)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), args.clip)
            opt.step()
            step += 1
            history["steps"].append(round(loss.item(), 5))
            if step % 10 == 0:
                recent = history["steps"][-10:]
                log(json.dumps({"step": step, "loss": round(sum(recent) / len(recent), 4),
                                "seconds": round(time.time() - start)}))
            out_of_time = args.seconds and time.time() - start > args.seconds
            if (args.eval_every and step % args.eval_every == 0) or out_of_time:
                evaluate(net, val, args, step, epoch, start, history, best, log)
                if best["step"] == step:
                    best_state = copy.deepcopy(net.state_dict())
            if out_of_time:
                stopped = True
                break
        if stopped:
            break
        if not args.eval_every or step % args.eval_every:
            evaluate(net, val, args, step, epoch, start, history, best, log)
            if best["step"] == step:
                best_state = copy.deepcopy(net.state_dict())
    history["best"] = best
    history["seconds"] = round(time.time() - start)
    history["stopped_by_time"] = stopped
    return best_state, history


def evaluate(net, val, args, step, epoch, start, history, best, log):
    acc = accuracy(net, *val, args.max_bytes)
    history["evals"].append({"step": step, "epoch": epoch, "accuracy": acc,
                             "seconds": round(time.time() - start)})
    log(json.dumps(history["evals"][-1]))
    if acc >= best["accuracy"]:  # ties go to the later state: it has trained longer
        best.update({"accuracy": acc, "step": step, "epoch": epoch})


def classifier_json(w, b, accuracy=0.0, train_count=0):
    """The head in the classifier format of src/models/sentiment/classifier.ts (identity
    standardiser), so `semilab sentiment eval --model DIR --weights DIR` reads it."""
    unit = max(range(len(w)), key=lambda j: abs(w[j]))
    return {"format": "semilab.sentiment-classifier", "version": 1, "hidden": len(w),
            "pool": "final", "mean": [0.0] * len(w), "std": [1.0] * len(w), "w": list(w), "b": b,
            "lambda": 0, "sentimentUnit": unit, "unitWeight": w[unit],
            "nonZero": sum(1 for v in w if v != 0), "accuracy": accuracy,
            "accuracyKind": "validation", "folds": 0, "trainCount": train_count, "grid": []}


def export(net, folder, accuracy=0.0, train_count=0):
    """weights.safetensors + config.json (the layout of public/models/mlstm) and classifier.json."""
    os.makedirs(folder, exist_ok=True)
    weights = {k: v.detach().numpy() for k, v in net.lm.state_dict().items()}
    save_safetensors(os.path.join(folder, "weights.safetensors"), weights)
    with open(os.path.join(folder, "config.json"), "w") as f:
        f.write(net.lm.config.to_json() + "\n")
    w, b = net.head.weight[0].tolist(), float(net.head.bias[0])
    head = classifier_json(w, b, accuracy, train_count)
    with open(os.path.join(folder, "classifier.json"), "w") as f:
        json.dump(head, f)


def parser():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", default=os.path.join("public", "models", "mlstm"),
                   help="folder with config.json and weights.safetensors")
    p.add_argument("--train", default=os.path.join(DATA, "train.csv"))
    p.add_argument("--val", default=os.path.join(DATA, "val.csv"))
    p.add_argument("--out", required=True, help="JSON file for the figures")
    p.add_argument("--export", help="folder for the best fine-tuned weights and head")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--limit", type=int, default=0, help="use the first N training texts (0 = all)")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate of the head")
    p.add_argument("--lr-lm", type=float, default=3e-4, help="Adam learning rate of the LM")
    p.add_argument("--lm-weight", type=float, default=0.0,
                   help="weight of the auxiliary next-byte loss")
    p.add_argument("--clip", type=float, default=1.0, help="max global gradient norm")
    p.add_argument("--max-bytes", type=int, default=256, help="texts cut to their first N bytes")
    p.add_argument("--eval-every", type=int, default=0,
                   help="also evaluate every N steps (0 = per epoch)")
    p.add_argument("--seconds", type=float, default=0,
                   help="stop after this wall time (0 = no limit)")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--seed", type=int, default=0)
    return p


RECIPE_KEYS = ("epochs", "batch", "lr", "lr_lm", "lm_weight", "clip", "max_bytes", "seed")


def main():
    args = parser().parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train = read_sst(args.train, args.limit)
    val = read_sst(args.val)
    net = Finetuner(load_model(args.weights))
    best_state, history = finetune(net, train, val, args)
    net.load_state_dict(best_state)
    if args.export:
        export(net, args.export, history["best"]["accuracy"], len(train[0]))
    result = {"command": " ".join(sys.argv), "train": len(train[0]), "val": len(val[0]),
              "recipe": {k: getattr(args, k) for k in RECIPE_KEYS},
              **history}
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps({k: v for k, v in result.items() if k not in ("steps", "evals")}))


if __name__ == "__main__":
    main()
