import { describe, expect, it } from 'vitest';
import { workItemName } from './workItemName';

describe('workItemName', () => {
  it('turns storage keys into words', () => {
    expect(workItemName('speech.melEdit')).toBe('Speech: mel edit');
    expect(workItemName('sentiment.emotions.labelled')).toBe('Sentiment: emotions labelled');
    expect(workItemName('settings.backendOverrides')).toBe('Settings: backend overrides');
    expect(workItemName('scratch')).toBe('Scratch');
  });
});
