// Mirrors the job runner's list for React. The runner owns the jobs; this
// store only holds the latest snapshot and forwards the user's actions.
import { create } from 'zustand';
import {
  cancelJob,
  clearFinishedJobs,
  getJobs,
  subscribeJobs,
  type JobInfo,
} from '../jobs/jobRunner';

interface JobsState {
  jobs: readonly JobInfo[];
  cancel(id: number): void;
  clearFinished(): void;
}

export const useJobsStore = create<JobsState>()(() => ({
  jobs: getJobs(),
  cancel: (id) => cancelJob(id),
  clearFinished: () => clearFinishedJobs(),
}));

// lives as long as the page, like the runner it mirrors
subscribeJobs((jobs) => useJobsStore.setState({ jobs }));
