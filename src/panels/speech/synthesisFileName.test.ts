import { describe, expect, it } from 'vitest';
import { synthesisFileName } from './synthesisFileName';

describe('exported synthesis file name', () => {
  it('names the recording, sigma, and nothing else for a plain synthesis', () => {
    const name = synthesisFileName({
      recordingName: 'LJ001-0002-excerpt.wav',
      sigma: 0.4,
      denoise: 0,
      editedMel: false,
    });
    expect(name).toBe('LJ001-0002-excerpt-waveglow-sigma0.40.wav');
  });

  it('says the mel was edited and the audio denoised', () => {
    const name = synthesisFileName({
      recordingName: 'LJ001-0008.wav',
      sigma: 0.6,
      denoise: 0.5,
      editedMel: true,
    });
    expect(name).toBe('LJ001-0008-edited-waveglow-sigma0.60-denoise0.50.wav');
    const noExtension = { recordingName: 'mic take.webm', sigma: 1, denoise: 0, editedMel: true };
    expect(synthesisFileName(noExtension)).toBe('mic take-edited-waveglow-sigma1.00.wav');
  });
});
