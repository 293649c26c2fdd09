// The header's per-model backend list: which backend runs each model
// (our WebGPU kernels or onnxruntime-web wasm), the measured reason, and a
// control to override the automatic choice. WebGPU cannot be picked where
// there is none (or the device is lost); a remembered WebGPU pick says it falls back.
import type { BackendKind } from '../engine/ort/backendChoice';
import { WEBGPU_FALLBACK_NOTE } from '../jobs/modelBackends';
import { useModelBackendStore, useWebgpuBlockedReason } from '../state/modelBackendStore';

const LABEL: Record<BackendKind, string> = { webgpu: 'WebGPU', wasm: 'wasm' };

export function ModelBackends() {
  const entries = useModelBackendStore((s) => s.entries);
  const chooseBackend = useModelBackendStore((s) => s.chooseBackend);
  const blocked = useWebgpuBlockedReason();
  if (entries.length === 0) return null;
  return (
    <ul className="model-backends" data-testid="header.models">
      {entries.map((e) => {
        const fallback = blocked !== null && e.override === 'webgpu';
        return (
          <li
            key={e.model}
            data-testid={`header.models.${e.model}`}
            data-backend={e.choice?.kind ?? ''}
            data-fallback={fallback ? 'true' : undefined}
          >
            <span className="model-name">{e.model}</span>
            <select
              aria-label={`backend for ${e.model}`}
              data-testid={`header.models.${e.model}.select`}
              value={e.override ?? 'auto'}
              title={blocked ? `WebGPU unavailable: ${blocked}` : undefined}
              onChange={(event) => {
                const v = event.target.value;
                chooseBackend(e.model, v === 'auto' ? null : (v as BackendKind));
              }}
            >
              <option value="auto">
                auto{e.choice && !e.override ? ` (${LABEL[e.choice.kind]})` : ''}
              </option>
              <option
                value="webgpu"
                disabled={blocked !== null}
                title={blocked ? `unavailable: ${blocked}` : undefined}
                data-testid={`header.models.${e.model}.webgpu`}
              >
                {blocked ? 'WebGPU (unavailable)' : 'WebGPU'}
              </option>
              <option value="wasm">wasm</option>
            </select>
            <span
              className="model-reason"
              data-testid={`header.models.${e.model}.reason`}
              title={e.choice?.reason ?? (fallback ? `${WEBGPU_FALLBACK_NOTE}: ${blocked}` : '')}
            >
              {e.choice ? (
                <ReasonText reason={e.choice.reason} />
              ) : fallback ? (
                WEBGPU_FALLBACK_NOTE
              ) : (
                'measured on first use'
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * "<backend>: <why>" with the backend part hidden (the select already shows it),
 * so the narrow header shows the measurement first; the title holds it all.
 */
function ReasonText({ reason }: { reason: string }) {
  const at = reason.indexOf(': ');
  if (at < 0) return reason;
  return (
    <>
      <span hidden>{reason.slice(0, at + 2)}</span>
      {reason.slice(at + 2)}
    </>
  );
}
