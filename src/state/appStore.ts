// App-wide UI state: the active panel and the one list of notices (errors,
// warnings, recoveries) that the error dialog shows.
import { create } from 'zustand';

export type TabId = 'segment' | 'synthesize' | 'sentiment' | 'speech';
export type NoticeLevel = 'error' | 'warning' | 'info';

export interface Notice {
  id: number;
  level: NoticeLevel;
  /** short: where it came from ('Import project', 'GPU device', ...) */
  title: string;
  message: string;
  /** how many times this same notice was reported */
  count: number;
  /** Date.now() of the latest report */
  at: number;
}

interface AppState {
  activeTab: TabId;
  notices: Notice[];
  setActiveTab(tab: TabId): void;
  /** adds a notice, or bumps the count of an identical one still shown; returns its id */
  report(level: NoticeLevel, title: string, message: string): number;
  dismiss(id: number): void;
  dismissAll(): void;
}

/** Notices kept at most; the oldest drop off. */
const MAX_NOTICES = 8;
let nextNoticeId = 1;

export const useAppStore = create<AppState>()((set, get) => ({
  activeTab: 'speech',
  notices: [],
  setActiveTab: (tab) => set({ activeTab: tab }),
  report: (level, title, message) => {
    const { notices } = get();
    const same = notices.find(
      (n) => n.level === level && n.title === title && n.message === message,
    );
    if (same) {
      const bumped = { ...same, count: same.count + 1, at: Date.now() };
      set({ notices: notices.map((n) => (n === same ? bumped : n)) });
      return same.id;
    }
    const notice: Notice = { id: nextNoticeId++, level, title, message, count: 1, at: Date.now() };
    set({ notices: [...notices, notice].slice(-MAX_NOTICES) });
    return notice.id;
  },
  dismiss: (id) => set(({ notices }) => ({ notices: notices.filter((n) => n.id !== id) })),
  dismissAll: () => set({ notices: [] }),
}));

/** Reports outside React (event handlers, module code). */
export function reportNotice(level: NoticeLevel, title: string, message: string): number {
  return useAppStore.getState().report(level, title, message);
}
