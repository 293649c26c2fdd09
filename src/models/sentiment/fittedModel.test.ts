import { describe, expect, it } from 'vitest';
import {
  describeMlstm,
  fineTunedMlstmId,
  PRETRAINED_MLSTM_ID,
  staleFitReason,
} from './fittedModel';

describe('fittedModel', () => {
  it('names models for people and says why a fit is stale', () => {
    const tuned = fineTunedMlstmId('2026-12-04T22:48:27.123Z');
    expect(describeMlstm(PRETRAINED_MLSTM_ID)).toBe('the pretrained model');
    expect(describeMlstm(tuned)).toBe('the fine-tuned model (kept 2026-12-04 22:48 UTC)');
    expect(staleFitReason(PRETRAINED_MLSTM_ID, tuned)).toBe(
      'fitted on the pretrained model, but the fine-tuned model (kept 2026-12-04 22:48 UTC) ' +
        'is in use',
    );
    expect(staleFitReason(tuned, tuned)).toBeNull();
    expect(staleFitReason(undefined, tuned)).toBeNull();
  });
});
