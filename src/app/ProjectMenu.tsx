// Header buttons for the project file: how much work is saved, export it as
// one JSON file, or import one (which replaces the saved work).
import { useEffect, useRef, useState } from 'react';
import { useAppStore } from '../state/appStore';
import { exportProject, importProject } from '../state/persist';
import { useProjectStore } from '../state/projectStore';
import { workItemName } from '../state/workItemName';
import { messageOf } from './wiring';

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // NOTE: revoke later; some browsers start the download after click() returns
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ProjectMenu() {
  const keys = useProjectStore((s) => s.keys);
  const refresh = useProjectStore((s) => s.refresh);
  const report = useAppStore((s) => s.report);
  const fileInput = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<'export' | 'import' | null>(null);

  useEffect(() => {
    refresh().catch((err: unknown) =>
      report('error', 'Saved work', `Saved work could not be read: ${messageOf(err)}`),
    );
  }, [refresh, report]);

  const onExport = async (): Promise<void> => {
    setBusy('export');
    try {
      const blob = await exportProject();
      download(blob, `semilab-project-${new Date().toISOString().slice(0, 10)}.json`);
    } catch (err) {
      report('error', 'Export project', `Export failed: ${messageOf(err)}`);
    } finally {
      setBusy(null);
    }
  };

  const onImport = async (file: File): Promise<void> => {
    const n = keys?.length ?? 0;
    const replace =
      n === 0 ||
      window.confirm(
        `Importing ${file.name} replaces all ${n} saved item${n === 1 ? '' : 's'} of this ` +
          'studio (recordings, labels, settings) with the ones in the file. Continue?',
      );
    if (!replace) {
      report('info', 'Import project', 'Import cancelled; nothing was changed.');
      return;
    }
    setBusy('import');
    try {
      const result = await importProject(file);
      if (result.ok) {
        const n = result.value.count;
        const items = `${n} saved item${n === 1 ? '' : 's'}`;
        const { unknown } = result.value;
        const unused = unknown.length
          ? ` This version does not use ${unknown.map((k) => `'${k}'`).join(', ')}.`
          : '';
        report('info', 'Import project', `Imported ${items} from ${file.name}.${unused}`);
      } else {
        report('error', 'Import project', result.error);
      }
    } finally {
      setBusy(null);
    }
  };

  const count = keys?.length;
  return (
    <div className="project">
      <span
        className="project-count"
        data-testid="header.project.count"
        title={keys?.map(workItemName).join('\n')}
      >
        {count === undefined ? '…' : `${count} saved item${count === 1 ? '' : 's'}`}
      </span>
      <button
        type="button"
        data-testid="header.project.export"
        disabled={busy !== null}
        onClick={() => void onExport()}
      >
        {busy === 'export' ? 'Exporting…' : 'Export project'}
      </button>
      <button
        type="button"
        data-testid="header.project.import"
        disabled={busy !== null}
        onClick={() => fileInput.current?.click()}
      >
        {busy === 'import' ? 'Importing…' : 'Import project'}
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="header.project.importFile"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void onImport(file);
        }}
      />
    </div>
  );
}
