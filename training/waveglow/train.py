"""Train WaveGlow on a folder of 22050 Hz WAVs by maximum likelihood.

One process:     /usr/bin/python3 training/waveglow/train.py --config training/waveglow/small.json --out runs/wg
Several (GPUs):  /usr/bin/python3 -m torch.distributed.run --nproc_per_node 4 training/waveglow/train.py ...
Each process trains on its shard of segments (DistributedSampler) and
gradients are averaged by DistributedDataParallel (nccl on CUDA, gloo on CPU)."""

import argparse
import json
import os
import sys
import time

import torch
import torch.distributed as dist

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from waveglow.data import SegmentDataset, split_files  # noqa: E402
from waveglow.model import WaveGlow, WaveGlowConfig, waveglow_loss  # noqa: E402

DEFAULT_DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "ljspeech", "wavs")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", required=True, help="model config JSON")
    p.add_argument("--data", default=DEFAULT_DATA, help="folder of WAVs")
    p.add_argument("--out", required=True, help="folder for checkpoints and the log")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--segment", type=int, default=4096, help="samples per training segment")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--sigma", type=float, default=1.0)
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

    with open(args.config) as f:
        config = WaveGlowConfig.from_json(f.read())
    model = WaveGlow(config).to(device)
    train_files, held_out = split_files(args.data)
    data = SegmentDataset(train_files, args.segment, seed=args.seed + rank)
    sampler = torch.utils.data.distributed.DistributedSampler(data) if distributed else None
    loader = torch.utils.data.DataLoader(data, batch_size=args.batch, shuffle=sampler is None,
                                         sampler=sampler, drop_last=True)
    net = torch.nn.parallel.DistributedDataParallel(model) if distributed else model
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, args.steps)

    os.makedirs(args.out, exist_ok=True)
    log = open(os.path.join(args.out, "train_log.jsonl"), "a") if rank == 0 else None
    step, epoch, start = 0, 0, time.time()
    while step < args.steps:
        if sampler:
            sampler.set_epoch(epoch)
        for mel, audio in loader:
            mel, audio = mel.to(device), audio.to(device)
            z, log_s, log_det = net(mel, audio)
            loss = waveglow_loss(z, log_s, log_det, args.sigma)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 10.0)
            opt.step()
            sched.step()
            step += 1
            if rank == 0 and (step % 50 == 0 or step == 1):
                entry = {"step": step, "loss": loss.item(), "seconds": round(time.time() - start, 1)}
                print(json.dumps(entry), flush=True)
                log.write(json.dumps(entry) + "\n")
                log.flush()
            if rank == 0 and step % 500 == 0:
                save(model, config, args, step)
            if step >= args.steps:
                break
        epoch += 1
    if rank == 0:
        save(model, config, args, step)
        print(f"done: {step} steps in {time.time() - start:.0f} s; held out: {[os.path.basename(f) for f in held_out]}")
    if distributed:
        dist.destroy_process_group()


def save(model, config, args, step):
    torch.save({"model": model.state_dict(), "config": config.to_json(), "step": step, "args": vars(args)},
               os.path.join(args.out, "checkpoint.pt"))


if __name__ == "__main__":
    main()
