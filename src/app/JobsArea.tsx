// Long work in progress and recently finished: one row per job with its
// progress, a Cancel button while it runs, and the error if it failed.
import type { JobInfo } from '../jobs/jobRunner';
import { useJobsStore } from '../state/jobsStore';

const STATE_LABELS: Record<JobInfo['state'], string> = {
  running: 'running',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
};

function seconds(job: JobInfo): string {
  if (job.endedAt === null) return '';
  return `${((job.endedAt - job.startedAt) / 1000).toFixed(1)} s`;
}

function JobRow({ job, onCancel }: { job: JobInfo; onCancel(): void }) {
  const percent = job.progress === null ? null : Math.round(job.progress * 100);
  const stopping = job.state === 'running' && job.cancelRequested;
  const indeterminate = percent === null && job.state === 'running';
  return (
    <li
      className={`job job-${job.state}`}
      data-testid="jobs.item"
      data-state={job.state}
      data-job-id={job.id}
    >
      <div className="job-head">
        <span className="job-title" data-testid="jobs.item.title" title={job.title}>
          {job.title}
        </span>
        <span className={`pill pill-job-${job.state}`} data-testid="jobs.item.state">
          {stopping ? 'stopping' : STATE_LABELS[job.state]}
        </span>
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label={`${job.title} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        data-testid="jobs.item.progress"
        data-value={job.progress ?? ''}
      >
        <div
          className={indeterminate ? 'progress-fill progress-indeterminate' : 'progress-fill'}
          style={{ width: `${percent ?? (job.state === 'running' ? 100 : 0)}%` }}
        />
      </div>
      <div className="job-foot">
        <span className="job-note" data-testid="jobs.item.note">
          {percent !== null ? `${percent}%` : job.state === 'running' ? 'starting…' : ''}
          {job.note ? ` · ${job.note}` : ''}
          {job.endedAt !== null ? ` · ${seconds(job)}` : ''}
        </span>
        {job.state === 'running' && (
          <button
            type="button"
            className="small"
            data-testid="jobs.item.cancel"
            disabled={stopping}
            onClick={onCancel}
          >
            Cancel
          </button>
        )}
      </div>
      {job.error && (
        <p className="job-error" data-testid="jobs.item.error">
          {job.error}
        </p>
      )}
    </li>
  );
}

export function JobsArea() {
  const jobs = useJobsStore((s) => s.jobs);
  const cancel = useJobsStore((s) => s.cancel);
  const clearFinished = useJobsStore((s) => s.clearFinished);
  const running = jobs.filter((job) => job.state === 'running').length;
  const finished = jobs.length - running;
  // newest first
  const ordered = [...jobs].reverse();
  return (
    <aside className="jobs" data-testid="jobs" aria-label="Jobs">
      <div className="jobs-head">
        <h2>Jobs</h2>
        <span className="muted" data-testid="jobs.summary">
          {running} running
        </span>
        {finished > 0 && (
          <button
            type="button"
            className="link"
            data-testid="jobs.clearFinished"
            onClick={clearFinished}
          >
            Clear finished
          </button>
        )}
      </div>
      {jobs.length === 0 ? (
        <p className="jobs-empty muted" data-testid="jobs.empty">
          No jobs yet. Long work (training, synthesis, label propagation) runs here with its
          progress and can be cancelled.
        </p>
      ) : (
        <ul className="jobs-list">
          {ordered.map((job) => (
            <JobRow key={job.id} job={job} onCancel={() => cancel(job.id)} />
          ))}
        </ul>
      )}
    </aside>
  );
}
