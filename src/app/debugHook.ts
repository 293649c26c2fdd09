// window.__semilab: a small handle for end-to-end tests and manual debugging
// from the console. It is always installed (it exposes nothing a user could
// not do through the page, except simulating a GPU reset), and it is not a
// stable API for panels: they import the modules directly.
//
//   __semilab.backendStatus()            -> BackendStatus (state, adapter, software, message)
//   __semilab.simulateDeviceLoss()       -> destroys the GPUDevice; gpuHost recovers
//   __semilab.gpuSelfTest()              -> a 7x9 @ 9x5 matmul on the current device vs the CPU
//   __semilab.persist.{saveWork, loadWork, listWork, deleteWork, flushWork}
//   __semilab.startTestJob({steps, stepMs, failWith}) -> job id (a timer job, test hook only)
//   __semilab.jobs()                     -> current job list
//   __semilab.setMicTakeLimit(seconds)   -> caps microphone takes (null: 10 minutes; tests)
//   __semilab.synthesisPlot()            -> what the synthesis plots show (waveform, log-mel,
//                                           their denoise strengths) or null
//   __semilab.setFineTuneSetCap(seconds) -> caps the fine-tuning set (null: 10 minutes; tests)
import { setMicTakeLimitForTests } from '../io/micCapture';
import { startTestJob, type TestJobOptions } from '../jobs/demoJob';
import { getBackendStatus, simulateDeviceLoss, type BackendStatus } from '../jobs/gpuHost';
import { gpuSelfTest, type SelfTestResult } from '../jobs/gpuSelfTest';
import { getJobs, type JobInfo } from '../jobs/jobRunner';
import { setFineTuneSetCapForTests } from '../state/fineTuneSetStore';
import { deleteWork, flushWork, listWork, loadWork, saveWork } from '../state/persist';
import { getPlottedSynthesis } from '../state/playedMelStore';

export interface SemilabDebug {
  backendStatus(): BackendStatus;
  simulateDeviceLoss(): void;
  gpuSelfTest(): Promise<SelfTestResult>;
  persist: {
    saveWork: typeof saveWork;
    loadWork: typeof loadWork;
    listWork: typeof listWork;
    deleteWork: typeof deleteWork;
    flushWork: typeof flushWork;
  };
  startTestJob(options?: TestJobOptions): number;
  jobs(): readonly JobInfo[];
  setMicTakeLimit(seconds: number | null): void;
  synthesisPlot: typeof getPlottedSynthesis;
  setFineTuneSetCap(seconds: number | null): void;
}

declare global {
  interface Window {
    __semilab?: SemilabDebug;
  }
}

export function installDebugHook(): void {
  window.__semilab = {
    backendStatus: getBackendStatus,
    simulateDeviceLoss,
    gpuSelfTest,
    persist: { saveWork, loadWork, listWork, deleteWork, flushWork },
    startTestJob: (options) => startTestJob(options).id,
    jobs: getJobs,
    setMicTakeLimit: setMicTakeLimitForTests,
    synthesisPlot: getPlottedSynthesis,
    setFineTuneSetCap: setFineTuneSetCapForTests,
  };
}
