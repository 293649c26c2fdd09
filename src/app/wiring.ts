// Routes everything the user must hear about into the one notice list:
// uncaught errors, unhandled rejections, device loss and recovery, failed
// saves. Called once at start; returns the teardown (for tests and HMR).
import { subscribeBackend, type BackendStatus } from '../jobs/gpuHost';
import { reportNotice, useAppStore } from '../state/appStore';
import { subscribeWork } from '../state/persist';

// benign browser noise that is not the user's problem
const IGNORED = [/ResizeObserver loop/];

export function messageOf(reason: unknown): string {
  if (reason instanceof Error) return reason.message || reason.name;
  if (typeof reason === 'string') return reason;
  try {
    return JSON.stringify(reason);
  } catch {
    return String(reason);
  }
}

export function wireNotices(): () => void {
  const onError = (event: ErrorEvent): void => {
    const message = event.error !== undefined ? messageOf(event.error) : event.message;
    if (IGNORED.some((re) => re.test(message))) return;
    reportNotice('error', 'Unexpected error', message);
  };
  const onRejection = (event: PromiseRejectionEvent): void => {
    reportNotice('error', 'Unexpected error', messageOf(event.reason));
  };
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);

  let previous: BackendStatus['state'] | null = null;
  let lostNotice: number | null = null;
  const unsubscribeBackend = subscribeBackend((status) => {
    if (status.state === 'lost' && previous !== 'lost') {
      const message = status.message ?? 'The GPU device was lost.';
      lostNotice = reportNotice('warning', 'GPU device', message);
    } else if (status.state === 'ready' && status.message && previous !== null) {
      // the recovery supersedes the warning about the loss
      if (lostNotice !== null) useAppStore.getState().dismiss(lostNotice);
      lostNotice = null;
      reportNotice('info', 'GPU device', status.message);
    }
    previous = status.state;
  });
  const unsubscribeWork = subscribeWork((event) => {
    if (event.type === 'error') reportNotice('error', 'Saving work', event.message);
  });

  return () => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
    unsubscribeBackend();
    unsubscribeWork();
  };
}
