// The keys of saved work, for the header's project summary. Refreshed from
// IndexedDB whenever persist reports a save, delete or import.
import { create } from 'zustand';
import { listWork, subscribeWork } from './persist';

interface ProjectState {
  /** null until the first listing finished */
  keys: string[] | null;
  refresh(): Promise<void>;
}

export const useProjectStore = create<ProjectState>()((set) => ({
  keys: null,
  refresh: async () => {
    const keys = await listWork();
    set({ keys });
  },
}));

subscribeWork((event) => {
  if (event.type !== 'error') void useProjectStore.getState().refresh();
});
