import { basename } from 'node:path';
import { recordingLikelihood } from '../jobs/vocoderCore';
import { parseArgs, type Command } from './command';
import { loadModel, melOf, mib, nodeGpu, numberOption, readAudio, weightsDir } from './vocode';

export const likelihoodCommand: Command = {
  name: 'likelihood',
  summary: "a WAV's negative log-likelihood per sample under WaveGlow (nats and bits)",
  usage: 'semilab likelihood <file.wav> [--weights DIR] [--sigma S]',
  async run(args) {
    const { positional, options } = parseArgs(args, ['weights', 'sigma']);
    const input = positional[0];
    if (!input || positional.length > 1) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const sigma = numberOption(options, 'sigma', 1, 1e-3, 10);
    if (!sigma.ok) {
      console.error(`semilab likelihood: ${sigma.error}`);
      return 2;
    }
    const audio = await readAudio(input);
    if (!audio.ok) {
      console.error(`semilab likelihood: ${audio.error}`);
      return 1;
    }
    const gpu = await nodeGpu();
    if (!gpu.ok) {
      console.error(`semilab likelihood: ${gpu.error}`);
      return 1;
    }
    const model = await loadModel(gpu.value, weightsDir(options.get('weights')));
    if (!model.ok) {
      console.error(`semilab likelihood: ${model.error}`);
      return 1;
    }
    const a = audio.value;
    const mel = await melOf(gpu.value, a.samples);
    const r = await recordingLikelihood(model.value, a.samples, mel, sigma.value);
    console.log(
      `${basename(input)}: ${a.seconds.toFixed(2)} s` +
        (a.notes.length ? ` (${a.notes.join(', ')})` : '') +
        `; scored ${r.samples} samples (${r.frames} mel frames)`,
    );
    console.log(
      `NLL: ${r.nats.toFixed(4)} nats per sample (${r.bits.toFixed(4)} bits per sample), ` +
        `sigma ${sigma.value}`,
    );
    console.log(
      `training loss (without the Gaussian constant ln(2 pi sigma^2)/2): ${r.loss.toFixed(4)} nats`,
    );
    console.log(
      `forward ${(r.ms / 1000).toFixed(2)} s, peak GPU memory ` +
        `${mib(gpu.value.stats().peakBytes)} on ${gpu.value.profile.name}`,
    );
    model.value.dispose();
    return 0;
  },
};
