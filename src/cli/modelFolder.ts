// Which model a --weights folder holds, read from the keys of its config.json,
// so that a WaveGlow folder given where an mLSTM one is expected (or the
// reverse) is named as such instead of failing on the first missing field.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ModelKind = 'mlstm' | 'waveglow';

const NAMES: Record<ModelKind, string> = { mlstm: 'an mLSTM', waveglow: 'a WaveGlow' };
const EXAMPLES: Record<ModelKind, string> = {
  mlstm: 'public/models/mlstm',
  waveglow: 'public/models/waveglow',
};
/** keys only that model's config has (public/models/<model>/config.json) */
const MARKS: Record<ModelKind, readonly string[]> = {
  mlstm: ['embed_dim', 'hidden', 'vocab'],
  waveglow: ['n_mel_channels', 'n_flows', 'n_group', 'WN_config'],
};

/** The model a parsed config.json is for, by its keys; null when it looks like neither. */
export function configKind(json: unknown): ModelKind | null {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return null;
  const c = json as Record<string, unknown>;
  if (c.type === 'mlstm') return 'mlstm';
  const score = (kind: ModelKind) => MARKS[kind].filter((k) => k in c).length;
  const mlstm = score('mlstm');
  const waveglow = score('waveglow');
  if (mlstm === waveglow) return null;
  return mlstm > waveglow ? 'mlstm' : 'waveglow';
}

/**
 * The one immediate subfolder of `dir` that holds a config.json, when `dir`
 * has none itself (an unzipped download's top folder); null otherwise.
 */
export function nestedModelFolder(dir: string): string | null {
  if (existsSync(join(dir, 'config.json'))) return null;
  let names: string[];
  try {
    // a file inside it means a folder, or a link to one
    names = readdirSync(dir).filter((name) => existsSync(join(dir, name, 'config.json')));
  } catch {
    return null;
  }
  return names.length === 1 ? join(dir, names[0]) : null;
}

/**
 * Why `dir` cannot serve as `expected`: its config.json is clearly the other
 * model's, or it has none but one subfolder has (named as the likely folder);
 * null otherwise (a missing or broken config is left to the loader, whose
 * message names the file).
 */
export function wrongModelFolder(dir: string, expected: ModelKind): string | null {
  const nested = nestedModelFolder(dir);
  if (nested) {
    return `cannot read ${join(dir, 'config.json')} (no such file); did you mean ${nested}?`;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  } catch {
    return null;
  }
  const kind = configKind(json);
  if (kind === null || kind === expected) return null;
  return (
    `${dir} holds ${NAMES[kind]} model (its config.json has ${MARKS[kind]
      .filter((k) => k in (json as object))
      .join(', ')}), not ${NAMES[expected]} one: ` +
    `--weights wants a folder like ${EXAMPLES[expected]}`
  );
}
