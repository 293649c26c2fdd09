"""Train the byte mLSTM as a next-byte language model on review sentences.

One process:     /usr/bin/python3 training/mlstm/train.py --out runs/mlstm --hidden 512
Several (GPUs):  /usr/bin/python3 -m torch.distributed.run --nproc_per_node 4 training/mlstm/train.py ...
Each process samples its own windows of the byte stream (seeded by rank) and
gradients are averaged by DistributedDataParallel (nccl on CUDA, gloo on CPU).
The default data is SST's unlabeled sentences and the training sentences
(labels ignored); validation sentences are never read."""

import argparse
import csv
import json
import os
import sys
import time

import torch
import torch.distributed as dist

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from mlstm.model import MLSTM, MLSTMConfig, next_byte_loss  # noqa: E402

SST = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "sst")
# unlabeled sentences plus the training sentences (labels unused); never val.csv
DEFAULT_DATA = [os.path.join(SST, "unsup.csv"), os.path.join(SST, "train.csv")]


def read_stream(path):
    """CSV with a 'sentence' column (or a plain text file) -> one byte tensor, sentences joined by newlines."""
    with open(path, newline="", encoding="utf-8") as f:
        if path.endswith(".csv"):
            text = "\n".join(row["sentence"] for row in csv.DictReader(f))
        else:
            text = f.read()
    return torch.tensor(list(text.encode("utf-8")), dtype=torch.long)


def batches(stream, batch, length, generator):
    """Endless random windows [batch, length] of the byte stream."""
    high = len(stream) - length
    if high <= 0:
        raise ValueError(f"train: data has {len(stream)} bytes (expected more than --length {length})")
    while True:
        starts = torch.randint(0, high, (batch,), generator=generator)
        yield torch.stack([stream[s : s + length] for s in starts.tolist()])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", nargs="+", default=DEFAULT_DATA,
                   help="CSVs with a sentence column, or text files (joined)")
    p.add_argument("--out", required=True, help="folder for the checkpoint and the log")
    p.add_argument("--embed", type=int, default=64)
    p.add_argument("--hidden", type=int, default=512)
    p.add_argument("--weight-norm", action="store_true")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--seconds", type=float, default=0, help="stop after this wall time (0 = no limit)")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--length", type=int, default=64, help="bytes per window (truncated BPTT)")
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (0 = default)")
    p.add_argument("--seed", type=int, default=1234)
    args = p.parse_args()

    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    if distributed:
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    rank = dist.get_rank() if distributed else 0
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}" if torch.cuda.is_available() else "cpu")
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    config = MLSTMConfig(embed_dim=args.embed, hidden=args.hidden, weight_norm=args.weight_norm)
    model = MLSTM(config).to(device)
    stream = torch.cat([read_stream(path) for path in args.data])
    gen = torch.Generator().manual_seed(args.seed + rank)
    net = torch.nn.parallel.DistributedDataParallel(model) if distributed else model
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, 1 - s / args.steps))  # linear decay

    os.makedirs(args.out, exist_ok=True)
    log = open(os.path.join(args.out, "train_log.jsonl"), "a") if rank == 0 else None
    start = time.time()
    lengths = torch.full((args.batch,), args.length, dtype=torch.long, device=device)
    step = 0
    for step, data in enumerate(batches(stream, args.batch, args.length, gen), 1):
        loss = next_byte_loss(net, data.to(device), lengths)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        sched.step()
        timeout = args.seconds and time.time() - start > args.seconds
        if rank == 0 and (step % 50 == 0 or step == 1 or step == args.steps or timeout):
            entry = {"step": step, "bits_per_byte": loss.item() / 0.6931, "seconds": round(time.time() - start, 1)}
            print(json.dumps(entry), flush=True)
            log.write(json.dumps(entry) + "\n")
            log.flush()
        if rank == 0 and step % 500 == 0:
            save(model, config, args, step)
        if step >= args.steps or timeout:
            break
    if rank == 0:
        save(model, config, args, step)
        print(f"done: {step} steps in {time.time() - start:.0f} s")
    if distributed:
        dist.destroy_process_group()


def save(model, config, args, step):
    torch.save({"model": model.state_dict(), "config": config.to_json(), "step": step, "args": vars(args)},
               os.path.join(args.out, "checkpoint.pt"))


if __name__ == "__main__":
    main()
