// The one place errors, warnings and recoveries are shown: a stack of
// notices in the corner, fed by the app store. Errors stay until dismissed;
// info notices (a finished import, a recovered device) fade after a while.
import { useEffect } from 'react';
import { useAppStore, type Notice } from '../state/appStore';

const INFO_LIFETIME_MS = 12_000;

function NoticeItem({ notice }: { notice: Notice }) {
  const dismiss = useAppStore((s) => s.dismiss);
  const onDismiss = (): void => dismiss(notice.id);
  useEffect(() => {
    if (notice.level !== 'info') return;
    const timer = setTimeout(() => dismiss(notice.id), INFO_LIFETIME_MS);
    return () => clearTimeout(timer);
  }, [notice.level, notice.id, notice.at, dismiss]);
  return (
    <li
      className={`notice notice-${notice.level}`}
      role={notice.level === 'info' ? 'status' : 'alert'}
      data-testid="errors.item"
      data-level={notice.level}
    >
      <div className="notice-body">
        <strong className="notice-title">
          {notice.title}
          {notice.count > 1 && <span className="notice-count"> ×{notice.count}</span>}
        </strong>
        <span className="notice-message" data-testid="errors.item.message">
          {notice.message}
        </span>
      </div>
      <button
        type="button"
        className="icon"
        aria-label="Dismiss"
        data-testid="errors.item.dismiss"
        onClick={onDismiss}
      >
        ×
      </button>
    </li>
  );
}

export function ErrorDialog() {
  const notices = useAppStore((s) => s.notices);
  const dismissAll = useAppStore((s) => s.dismissAll);
  if (notices.length === 0) return null;
  return (
    <section className="notices" data-testid="errors" aria-label="Messages">
      {notices.length > 1 && (
        <button
          type="button"
          className="link notices-clear"
          data-testid="errors.dismissAll"
          onClick={dismissAll}
        >
          Dismiss all
        </button>
      )}
      <ul>
        {notices.map((notice) => (
          <NoticeItem key={notice.id} notice={notice} />
        ))}
      </ul>
    </section>
  );
}
