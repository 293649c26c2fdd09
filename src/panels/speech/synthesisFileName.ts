// The exported synthesis WAV's name: the recording, the vocoder and sigma, and
// what was done to get it (an edited mel, denoising), so files side by side say
// how they differ.

export interface SynthesisFileNameParts {
  /** the recording's file name; its extension is dropped */
  recordingName: string;
  sigma: number;
  /** denoise strength, 0 when the audio was not denoised */
  denoise: number;
  /** whether the synthesis used the user's edited mel */
  editedMel: boolean;
}

export function synthesisFileName(p: SynthesisFileNameParts): string {
  const stem = p.recordingName.replace(/\.[^.]+$/, '');
  return (
    `${stem}${p.editedMel ? '-edited' : ''}-waveglow-sigma${p.sigma.toFixed(2)}` +
    `${p.denoise ? `-denoise${p.denoise.toFixed(2)}` : ''}.wav`
  );
}
