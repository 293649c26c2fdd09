// `--backend auto|webgpu|wasm` of the inference commands. auto (the default)
// runs onnxruntime-web (wasm) where WebGPU is a software adapter or missing:
// on SwiftShader our WGSL is 10-100x slower than wasm on the same cores
// (shared/docs/ENVIRONMENT.md); on a hardware adapter it runs WebGPU.
import { nodeGpuApi } from '../engine/node/dawn';
import { isSoftwareAdapter, readAdapterFacts, type AdapterFacts } from '../engine/profile';
import { optionValue, UsageError } from './cliInput';

export type CliBackend = 'webgpu' | 'wasm';
export type BackendOption = CliBackend | 'auto';

export const BACKEND_USAGE = '[--backend auto|webgpu|wasm]';

export interface BackendDecision {
  kind: CliBackend;
  /** one line: what was chosen and why */
  why: string;
}

/** The --backend option; absent means auto. */
export function backendOption(options: Map<string, string>): BackendOption {
  const raw = optionValue(options, 'backend') ?? 'auto';
  if (raw !== 'auto' && raw !== 'webgpu' && raw !== 'wasm') {
    throw new UsageError(`--backend must be 'auto', 'webgpu' or 'wasm' (got '${raw}')`);
  }
  return raw;
}

function adapterName(facts: AdapterFacts): string {
  const parts = [facts.vendor, facts.architecture, facts.description || facts.device];
  return parts.filter(Boolean).join(' ') || 'unknown adapter';
}

/** auto's rule: wasm without an adapter or on a software (fallback) one, WebGPU otherwise. */
export function autoBackend(
  adapter: AdapterFacts | null,
  missing = 'no WebGPU adapter',
): BackendDecision {
  if (!adapter) return { kind: 'wasm', why: `auto: ${missing}` };
  const name = adapterName(adapter);
  if (isSoftwareAdapter(adapter)) {
    const what = adapter.isFallbackAdapter ? 'a fallback adapter' : 'a software adapter';
    return {
      kind: 'wasm',
      why: `auto: WebGPU here is ${what} (${name}), 10-100x slower than wasm on the CPU`,
    };
  }
  return { kind: 'webgpu', why: `auto: hardware WebGPU adapter (${name})` };
}

/** The adapter Dawn offers this process, or why there is none. */
async function nodeAdapter(): Promise<{ facts: AdapterFacts | null; missing: string }> {
  try {
    const adapter = await (await nodeGpuApi()).requestAdapter();
    return { facts: adapter ? readAdapterFacts(adapter) : null, missing: 'no WebGPU adapter' };
  } catch (err) {
    return { facts: null, missing: `WebGPU failed to start (${String(err)})` };
  }
}

/**
 * Resolves `option` (auto asks Dawn for its adapter) and prints the choice
 * and why as one line on stderr, prefixed with `command`.
 */
export async function decideBackend(
  option: BackendOption,
  command: string,
  adapter: () => Promise<{ facts: AdapterFacts | null; missing: string }> = nodeAdapter,
): Promise<BackendDecision> {
  let decision: BackendDecision;
  if (option === 'auto') {
    const { facts, missing } = await adapter();
    decision = autoBackend(facts, missing);
  } else {
    decision = { kind: option, why: 'chosen with --backend' };
  }
  console.error(`semilab ${command}: backend ${decision.kind} (${decision.why})`);
  return decision;
}
