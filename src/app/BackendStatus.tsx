// The header's backend block: which WebGPU adapter runs the models, whether
// it is a software one (and why that is slow), why WebGPU is unavailable,
// or that the device was lost and how it recovered.
import type { BackendStatus as Status } from '../jobs/gpuHost';
import { useBackendStore } from '../state/backendStore';

const LABELS: Record<Status['state'], string> = {
  pending: 'detecting',
  ready: 'ready',
  unavailable: 'unavailable',
  lost: 'lost',
};

function summary(status: Status): string {
  switch (status.state) {
    case 'pending':
      return 'Looking for a WebGPU adapter…';
    case 'ready':
      return `WebGPU · ${status.adapter ?? 'unknown adapter'}`;
    case 'unavailable':
      return 'WebGPU unavailable';
    case 'lost':
      return `WebGPU · ${status.adapter ?? 'device'} lost, reconnecting…`;
  }
}

export function BackendStatus() {
  const status = useBackendStore();
  return (
    <div className="backend" data-testid="header.backend" data-state={status.state}>
      <span
        className={`pill pill-${status.state}`}
        data-testid="header.backend.state"
        data-state={status.state}
      >
        {LABELS[status.state]}
      </span>
      <div className="backend-text">
        <span
          className="backend-summary"
          data-testid="header.backend.adapter"
          title={summary(status)}
        >
          {summary(status)}
        </span>
        {status.software && status.state !== 'unavailable' && (
          <details className="backend-software" data-testid="header.backend.software">
            <summary>Software adapter: inference is slow</summary>
            <p>
              This adapter is a CPU implementation of WebGPU (no graphics card is used). Every GPU
              kernel is emulated on the processor&apos;s few cores, so models run many times slower
              than on a graphics card: keep inputs short, and expect training to take long.
            </p>
          </details>
        )}
        {status.message && (
          <span className="backend-message" data-testid="header.backend.message">
            {status.message}
          </span>
        )}
      </div>
    </div>
  );
}
