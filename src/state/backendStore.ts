// Mirrors gpuHost's backend status (adapter, software or not, lost, why
// unavailable) for React.
import { create } from 'zustand';
import { getBackendStatus, subscribeBackend, type BackendStatus } from '../jobs/gpuHost';

export const useBackendStore = create<BackendStatus>()(() => getBackendStatus());

subscribeBackend((status) => useBackendStore.setState(status, true));
