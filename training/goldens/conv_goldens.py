# Regenerate with:  cd /work/main && /usr/bin/python3 training/goldens/conv_goldens.py
# (torch 1.13, numpy; no GPU). Writes src/engine/ops/goldens/{conv1d,conv2d,
# conv-transpose1d,conv-transpose2d}.json, read by src/engine/ops/conv-goldens.test.ts.
#
# Pins the engine's conv semantics to PyTorch: for a few small cases with odd
# sizes, stride, padding, output padding, dilation and groups, each file holds
# the inputs, weights, bias, an output-gradient seed, and PyTorch's output and
# gradients for x, w and bias. Inputs are rounded to 3 decimals so the JSON
# text converts to the same float32 in TypeScript; outputs are computed in
# float64 from those float32 values and rounded to 7 decimals.
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(ROOT, 'src', 'engine', 'ops', 'goldens')


def values(rng, shape):
    """float64 tensor of float32-exact values rounded to 3 decimals, and its JSON list."""
    data = np.round(rng.uniform(-1, 1, size=shape), 3)
    t = torch.tensor(data, dtype=torch.float32).double().requires_grad_(True)
    return t, [float(v) for v in data.reshape(-1)]


def flat(t):
    return [round(float(v), 7) for v in t.detach().reshape(-1).tolist()]


def case(rng, fn, name, x_shape, w_shape, bias, opts, torch_opts):
    x, xj = values(rng, x_shape)
    w, wj = values(rng, w_shape)
    b, bj = values(rng, [torch_opts['bias_size']]) if bias else (None, None)
    args = {k: v for k, v in torch_opts.items() if k != 'bias_size'}
    y = fn(x, w, b, **args)
    seed, seedj = values(rng, list(y.shape))
    y.backward(seed.detach())
    return {
        'name': name,
        'options': opts,
        'x': {'shape': list(x_shape), 'data': xj},
        'w': {'shape': list(w_shape), 'data': wj},
        'bias': bj,
        'seed': seedj,
        'y': {'shape': list(y.shape), 'data': flat(y)},
        'gx': flat(x.grad),
        'gw': flat(w.grad),
        'gb': flat(b.grad) if bias else None,
    }


def conv1d_cases(rng):
    return [
        case(rng, F.conv1d, 'stride 2, padding 2, dilation 2, groups 2, bias',
             [2, 4, 11], [6, 2, 3], True,
             {'stride': 2, 'padding': 2, 'dilation': 2, 'groups': 2},
             dict(stride=2, padding=2, dilation=2, groups=2, bias_size=6)),
        case(rng, F.conv1d, 'depthwise, K 5, padding 4, dilation 3, bias',
             [1, 3, 9], [3, 1, 5], True,
             {'padding': 4, 'dilation': 3, 'groups': 3},
             dict(padding=4, dilation=3, groups=3, bias_size=3)),
        case(rng, F.conv1d, 'K 1, stride 2, odd channels, no bias',
             [2, 5, 7], [7, 5, 1], False, {'stride': 2}, dict(stride=2, bias_size=7)),
    ]


def conv2d_cases(rng):
    return [
        case(rng, F.conv2d, 'stride [2, 1], padding [1, 2], dilation [1, 2], groups 2, bias',
             [2, 4, 6, 5], [6, 2, 3, 2], True,
             {'stride': [2, 1], 'padding': [1, 2], 'dilation': [1, 2], 'groups': 2},
             dict(stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2, bias_size=6)),
        case(rng, F.conv2d, 'depthwise 3x3, padding 2, dilation 2, bias',
             [1, 3, 7, 6], [3, 1, 3, 3], True,
             {'padding': 2, 'dilation': 2, 'groups': 3},
             dict(padding=2, dilation=2, groups=3, bias_size=3)),
        case(rng, F.conv2d, '1x1, stride 2, no bias',
             [2, 3, 5, 5], [4, 3, 1, 1], False, {'stride': 2}, dict(stride=2, bias_size=4)),
    ]


def conv_transpose1d_cases(rng):
    return [
        case(rng, F.conv_transpose1d, 'stride 2, padding 1, output padding 1, groups 2, bias',
             [2, 4, 6], [4, 3, 4], True,
             {'stride': 2, 'padding': 1, 'outputPadding': 1, 'groups': 2},
             dict(stride=2, padding=1, output_padding=1, groups=2, bias_size=6)),
        case(rng, F.conv_transpose1d, 'stride 3, padding 2, dilation 2, output padding 2',
             [1, 3, 5], [3, 2, 3], False,
             {'stride': 3, 'padding': 2, 'dilation': 2, 'outputPadding': 2},
             dict(stride=3, padding=2, dilation=2, output_padding=2, bias_size=2)),
        case(rng, F.conv_transpose1d, 'upsampler: K 8, stride 4, padding 2, bias',
             [1, 4, 5], [4, 4, 8], True, {'stride': 4, 'padding': 2},
             dict(stride=4, padding=2, bias_size=4)),
    ]


def conv_transpose2d_cases(rng):
    return [
        case(rng, F.conv_transpose2d,
             'stride [2, 3], padding [1, 0], output padding [1, 2], groups 2, bias',
             [2, 4, 4, 3], [4, 2, 3, 2], True,
             {'stride': [2, 3], 'padding': [1, 0], 'outputPadding': [1, 2], 'groups': 2},
             dict(stride=(2, 3), padding=(1, 0), output_padding=(1, 2), groups=2, bias_size=4)),
        case(rng, F.conv_transpose2d, 'dilation [2, 3], padding 1, output padding [1, 2], bias',
             [1, 2, 3, 4], [2, 3, 2, 3], True,
             {'dilation': [2, 3], 'padding': 1, 'outputPadding': [1, 2]},
             dict(dilation=(2, 3), padding=1, output_padding=(1, 2), bias_size=3)),
    ]


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    rng = np.random.default_rng(20240611)
    files = {
        'conv1d.json': conv1d_cases(rng),
        'conv2d.json': conv2d_cases(rng),
        'conv-transpose1d.json': conv_transpose1d_cases(rng),
        'conv-transpose2d.json': conv_transpose2d_cases(rng),
    }
    for name, cases in files.items():
        path = os.path.join(OUT_DIR, name)
        with open(path, 'w') as f:
            json.dump({'torch': torch.__version__, 'cases': cases}, f, separators=(',', ':'))
            f.write('\n')
        print(f'{path}: {len(cases)} cases, {os.path.getsize(path)} bytes')


if __name__ == '__main__':
    main()
