import { describe, expect, it } from 'vitest';
import { preconditionError } from './preconditionError';

function harness() {
  const state = { error: null as string | null, recording: false };
  const refusals = preconditionError(
    () => state.error,
    (e) => {
      state.error = e;
    },
  );
  return { state, refusals };
}

describe('preconditionError', () => {
  it('clears a refusal on the first recheck after its precondition holds', () => {
    const { state, refusals } = harness();
    refusals.refuse('Load a recording first.', () => state.recording);
    expect(state.error).toBe('Load a recording first.');
    refusals.recheck();
    expect(state.error).toBe('Load a recording first.');
    state.recording = true;
    refusals.recheck();
    expect(state.error).toBeNull();
  });

  it('leaves a message that replaced the refusal alone', () => {
    const { state, refusals } = harness();
    refusals.refuse('Load a recording first.', () => state.recording);
    state.error = 'Fine-tuning failed: out of memory';
    state.recording = true;
    refusals.recheck();
    expect(state.error).toBe('Fine-tuning failed: out of memory');
    // and forgets the old check: the same text set later is not cleared by it
    state.error = 'Load a recording first.';
    refusals.recheck();
    expect(state.error).toBe('Load a recording first.');
  });

  it('keeps the latest refusal and its own check', () => {
    const { state, refusals } = harness();
    let idle = false;
    refusals.refuse('Load a recording first.', () => state.recording);
    refusals.refuse('Wait for the synthesis to finish first.', () => idle);
    state.recording = true;
    refusals.recheck();
    expect(state.error).toBe('Wait for the synthesis to finish first.');
    idle = true;
    refusals.recheck();
    expect(state.error).toBeNull();
  });
});
