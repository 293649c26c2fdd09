import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { acquireGpu } from '../engine/device';
import { nodeGpuApi } from '../engine/node/dawn';
import { writeNpy } from '../io/npy';
import { decodeWav } from '../io/wav';
import { logMel } from '../models/mel/logMel';
import { MEL } from '../models/mel/melConfig';
import { parseArgs, type Command } from './command';
import { outFolderProblem, sampleRateProblem } from './inputChecks';

export const melCommand: Command = {
  name: 'mel',
  summary: 'write the 80-band log-mel spectrogram of a WAV file as .npy (WaveGlow settings)',
  usage: 'semilab mel <file.wav> --out <file.npy>',
  async run(args) {
    const { positional, options } = parseArgs(args, ['out']);
    const input = positional[0];
    const out = options.get('out');
    if (!input || !out || out === 'true' || positional.length > 1) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    // checked before the work, not after it
    const outProblem = outFolderProblem(out);
    if (outProblem) {
      console.error(`semilab mel: ${outProblem}`);
      return 2;
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(input));
    } catch (err) {
      console.error(
        `semilab mel: cannot read ${input} (${(err as NodeJS.ErrnoException).code ?? err})`,
      );
      return 1;
    }
    const started = performance.now();
    const decoded = decodeWav(bytes, { name: basename(input), sampleRate: MEL.sampleRate });
    if (!decoded.ok) {
      console.error(`semilab mel: ${decoded.error.message}`);
      return 1;
    }
    const audio = decoded.value;
    const slow = sampleRateProblem(basename(input), audio.originalRate);
    if (slow) {
      console.error(`semilab mel: ${slow}`);
      return 1;
    }
    const decodedAt = performance.now();
    const gpuResult = await acquireGpu(await nodeGpuApi());
    if (!gpuResult.ok) {
      console.error(`semilab mel: ${gpuResult.error.message}`);
      return 1;
    }
    const gpu = gpuResult.value;
    const gpuAt = performance.now();
    const mel = await logMel(gpu, audio.samples);
    const data = await mel.read();
    const [bands, frames] = mel.shape;
    mel.dispose();
    const melAt = performance.now();
    writeFileSync(out, writeNpy(data, [bands, frames]));
    const notes = [
      audio.resampled ? `resampled from ${audio.originalRate} Hz` : '',
      audio.downmixed ? `downmixed from ${audio.originalChannels} channels` : '',
      audio.truncated ? 'data chunk cut short, kept what was there' : '',
    ].filter(Boolean);
    console.log(
      `${basename(input)}: ${audio.duration.toFixed(2)} s at ${audio.sampleRate} Hz` +
        (notes.length ? ` (${notes.join(', ')})` : ''),
    );
    console.log(
      `wrote ${out}: [${bands}, ${frames}] float32 log-mel (${bands} bands x ${frames} frames)`,
    );
    console.log(
      `time: decode ${(decodedAt - started).toFixed(0)} ms, ` +
        `GPU setup ${(gpuAt - decodedAt).toFixed(0)} ms, ` +
        `log-mel ${(melAt - gpuAt).toFixed(0)} ms on ${gpu.profile.name}`,
    );
    return 0;
  },
};
