"""WaveGlow (Prenger, Valle, Catanzaro 2019) in PyTorch: the twin of
src/models/waveglow in the studio. Module and parameter names follow NVIDIA's
reference layout (WN.k.in_layers.i, convinv.k.conv, upsample, ...) so their
checkpoints load after folding weight norm (see convert_nvidia.py).

Audio [B, T] is folded into groups of n_group samples ([B, n_group, T/n_group]);
each of n_flows flows applies an invertible 1x1 convolution and an affine
coupling whose log-scale and shift come from a WaveNet-like network (WN)
conditioned on the upsampled mel. Every n_early_every flows, n_early_size
channels leave early."""

import json
from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class WNConfig:
    n_layers: int = 8
    n_channels: int = 256
    kernel_size: int = 3


@dataclass
class WaveGlowConfig:
    n_mel_channels: int = 80
    n_flows: int = 12
    n_group: int = 8
    n_early_every: int = 4
    n_early_size: int = 2
    sampling_rate: int = 22050
    hop_length: int = 256
    win_length: int = 1024
    # the mel upsampler's kernel; NVIDIA's is win_length (1024). A smaller one
    # keeps small models small: this layer alone is n_mel^2 * kernel weights.
    upsample_kernel: int = 0
    WN_config: WNConfig = field(default_factory=WNConfig)

    @staticmethod
    def from_json(text):
        raw = json.loads(text)
        wn = WNConfig(**raw.pop("WN_config", {}))
        return WaveGlowConfig(WN_config=wn, **raw)

    def to_json(self):
        return json.dumps(asdict(self), indent=2)


def fused_add_tanh_sigmoid_multiply(a, b, n_channels):
    x = a + b
    return torch.tanh(x[:, :n_channels]) * torch.sigmoid(x[:, n_channels:])


class Invertible1x1Conv(nn.Module):
    """z -> W z over channels; W starts as a random rotation (det +1)."""

    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv1d(c, c, kernel_size=1, stride=1, padding=0, bias=False)
        w = torch.linalg.qr(torch.randn(c, c))[0]
        if torch.det(w) < 0:
            w[:, 0] = -w[:, 0]
        self.conv.weight.data = w.view(c, c, 1)
        self.w_inverse = None  # set by cache_inverse() for inference/export

    def cache_inverse(self):
        w = self.conv.weight.detach().squeeze(2).double()
        self.w_inverse = torch.inverse(w).float().unsqueeze(2)

    def forward(self, z, reverse=False):
        batch, _, n_of_groups = z.size()
        w = self.conv.weight.squeeze(2)
        if reverse:
            w_inv = self.w_inverse
            if w_inv is None:
                w_inv = torch.inverse(w.double()).float().unsqueeze(2)
            return F.conv1d(z, w_inv), None
        log_det_w = batch * n_of_groups * torch.slogdet(w)[1]
        return self.conv(z), log_det_w


class WN(nn.Module):
    """Non-causal WaveNet: dilated convs (dilation 2^i), gated tanh*sigmoid
    units, residual and skip 1x1 convs, conditioning added per layer."""

    def __init__(self, n_in_channels, n_mel_channels, n_layers, n_channels, kernel_size):
        super().__init__()
        assert kernel_size % 2 == 1 and n_channels % 2 == 0
        self.n_layers = n_layers
        self.n_channels = n_channels
        wn = torch.nn.utils.weight_norm
        self.start = wn(nn.Conv1d(n_in_channels, n_channels, 1))
        # zero init: each coupling starts as the identity, which stabilises training
        self.end = nn.Conv1d(n_channels, 2 * n_in_channels, 1)
        self.end.weight.data.zero_()
        self.end.bias.data.zero_()
        self.cond_layer = wn(nn.Conv1d(n_mel_channels, 2 * n_channels * n_layers, 1))
        self.in_layers = nn.ModuleList()
        self.res_skip_layers = nn.ModuleList()
        for i in range(n_layers):
            dilation = 2**i
            padding = (kernel_size * dilation - dilation) // 2
            self.in_layers.append(
                wn(nn.Conv1d(n_channels, 2 * n_channels, kernel_size, dilation=dilation, padding=padding))
            )
            res_skip = 2 * n_channels if i < n_layers - 1 else n_channels
            self.res_skip_layers.append(wn(nn.Conv1d(n_channels, res_skip, 1)))

    def forward(self, audio, spect):
        audio = self.start(audio)
        output = torch.zeros_like(audio)
        spect = self.cond_layer(spect)
        c = self.n_channels
        for i in range(self.n_layers):
            acts = fused_add_tanh_sigmoid_multiply(
                self.in_layers[i](audio), spect[:, i * 2 * c : (i + 1) * 2 * c], c
            )
            res_skip = self.res_skip_layers[i](acts)
            if i < self.n_layers - 1:
                audio = audio + res_skip[:, :c]
                output = output + res_skip[:, c:]
            else:
                output = output + res_skip
        return self.end(output)


class WaveGlow(nn.Module):
    def __init__(self, config: WaveGlowConfig):
        super().__init__()
        self.config = config
        n_mel = config.n_mel_channels
        kernel = config.upsample_kernel or config.win_length
        self.upsample = nn.ConvTranspose1d(n_mel, n_mel, kernel, stride=config.hop_length)
        assert config.n_group % 2 == 0
        self.n_flows = config.n_flows
        self.n_group = config.n_group
        self.n_early_every = config.n_early_every
        self.n_early_size = config.n_early_size
        self.WN = nn.ModuleList()
        self.convinv = nn.ModuleList()
        n_half = config.n_group // 2
        n_remaining = config.n_group
        for k in range(config.n_flows):
            if k % self.n_early_every == 0 and k > 0:
                n_half -= self.n_early_size // 2
                n_remaining -= self.n_early_size
            self.convinv.append(Invertible1x1Conv(n_remaining))
            wn = config.WN_config
            self.WN.append(WN(n_half, n_mel * config.n_group, wn.n_layers, wn.n_channels, wn.kernel_size))
        self.n_remaining_channels = n_remaining

    def fold_spect(self, spect, n_frames_audio):
        """Upsampled mel [B, n_mel, T] -> [B, n_mel*n_group, T/n_group]."""
        spect = spect[:, :, :n_frames_audio]
        b, n_mel, t = spect.shape
        # channel mel*n_group + j holds sample j of each group (NVIDIA's unfold
        # layout), written with reshapes so it exports to ONNX
        spect = spect.reshape(b, n_mel, t // self.n_group, self.n_group).permute(0, 1, 3, 2)
        return spect.reshape(b, n_mel * self.n_group, t // self.n_group)

    def forward(self, spect, audio):
        """audio [B, T] + mel [B, n_mel, frames] -> (z [B, n_group, T/n_group], log_s list, log_det_W list).
        T must be a multiple of n_group and at most frames*hop."""
        spect = self.upsample(spect)
        assert spect.size(2) >= audio.size(1), "mel too short for the audio"
        spect = self.fold_spect(spect, audio.size(1))
        audio = audio.unfold(1, self.n_group, self.n_group).permute(0, 2, 1)
        output_audio, log_s_list, log_det_w_list = [], [], []
        for k in range(self.n_flows):
            if k % self.n_early_every == 0 and k > 0:
                output_audio.append(audio[:, : self.n_early_size])
                audio = audio[:, self.n_early_size :]
            audio, log_det_w = self.convinv[k](audio)
            log_det_w_list.append(log_det_w)
            n_half = audio.size(1) // 2
            audio_0, audio_1 = audio[:, :n_half], audio[:, n_half:]
            output = self.WN[k](audio_0, spect)
            log_s, b = output[:, n_half:], output[:, :n_half]
            audio_1 = torch.exp(log_s) * audio_1 + b
            log_s_list.append(log_s)
            audio = torch.cat([audio_0, audio_1], 1)
        output_audio.append(audio)
        return torch.cat(output_audio, 1), log_s_list, log_det_w_list

    def infer(self, spect, sigma=1.0, noise=None):
        """mel [B, n_mel, frames] -> audio [B, (frames*hop - (win-hop)) rounded to n_group].
        `noise`, if given, is the standard normal z [B, n_group, T/n_group] (sigma scales it)."""
        spect = self.upsample(spect)
        cutoff = self.upsample.kernel_size[0] - self.upsample.stride[0]
        spect = spect[:, :, : spect.size(2) - cutoff]
        n_groups = spect.size(2) // self.n_group
        spect = self.fold_spect(spect, n_groups * self.n_group)
        b = spect.size(0)
        if noise is None:
            noise = torch.randn(b, self.n_group, n_groups, device=spect.device)
        # NVIDIA draws the late channels first and early ones when they re-enter;
        # we take them from one z laid out like forward()'s output.
        early = self.n_group - self.n_remaining_channels
        audio = sigma * noise[:, early:]
        taken = early
        for k in reversed(range(self.n_flows)):
            n_half = audio.size(1) // 2
            audio_0, audio_1 = audio[:, :n_half], audio[:, n_half:]
            output = self.WN[k](audio_0, spect)
            s, bias = output[:, n_half:], output[:, :n_half]
            audio_1 = (audio_1 - bias) / torch.exp(s)
            audio = torch.cat([audio_0, audio_1], 1)
            audio = self.convinv[k](audio, reverse=True)[0]
            if k % self.n_early_every == 0 and k > 0:
                z = noise[:, taken - self.n_early_size : taken]
                taken -= self.n_early_size
                audio = torch.cat([sigma * z, audio], 1)
        return audio.permute(0, 2, 1).contiguous().view(b, -1)


def waveglow_loss(z, log_s_list, log_det_w_list, sigma=1.0):
    """Negative log-likelihood per audio sample (nats), without the constant
    0.5*log(2*pi*sigma^2) term, as in the paper's training objective."""
    log_s_total = sum(torch.sum(s) for s in log_s_list)
    log_det_w_total = sum(log_det_w_list)
    loss = torch.sum(z * z) / (2 * sigma * sigma) - log_s_total - log_det_w_total
    return loss / z.numel()


def fold_weight_norm(state_dict):
    """{name_g, name_v} pairs -> plain weights (w = g * v / ||v||, norm over all but dim 0)."""
    out = {}
    for name, value in state_dict.items():
        if name.endswith("_g"):
            continue
        if name.endswith("_v"):
            stem = name[:-2]
            g = state_dict[stem + "_g"]
            norm = value.flatten(1).norm(dim=1).view(-1, *([1] * (value.dim() - 1)))
            out[stem] = g * value / norm
        else:
            out[name] = value
    return out
