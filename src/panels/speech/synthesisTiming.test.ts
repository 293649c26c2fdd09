import { describe, expect, it } from 'vitest';
import { jobTimeNote } from './synthesisTiming';

describe('jobTimeNote', () => {
  it('splits the job time into loading, compute, the log-mel and the rest', () => {
    const note = jobTimeNote({ computeMs: 3800, prepareMs: 16000, logMelMs: 1000, jobMs: 20900 });
    expect(note).toBe(
      'job 20.9 s: 16.0 s loading the model (and, on first use, timing the backends) + ' +
        "3.8 s compute + 1.0 s the result's log-mel + 0.1 s other",
    );
  });

  it('leaves out a loaded model and a rest below 50 ms', () => {
    const note = jobTimeNote({ computeMs: 3800, prepareMs: 10, logMelMs: 900, jobMs: 4740 });
    expect(note).toBe(
      "job 4.7 s: model already loaded + 3.8 s compute + 0.9 s the result's log-mel",
    );
  });

  it('says the log-mel is still computing before the job ends', () => {
    expect(jobTimeNote({ computeMs: 3800, prepareMs: 16000, logMelMs: null, jobMs: null })).toBe(
      'the job also spent 16.0 s loading the model (and, on first use, timing the backends); ' +
        "computing the result's log-mel…",
    );
    expect(jobTimeNote({ computeMs: 3800, prepareMs: 0, logMelMs: null, jobMs: null })).toBe(
      "computing the result's log-mel…",
    );
  });
});
