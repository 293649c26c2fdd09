// Runs every test: type check, unit tests (Vitest, Node + Dawn), end-to-end
// tests (Playwright, headless Chromium), and the quick PyTorch tests when
// python3 with torch is present. Ends with one line: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

// stale reports from an earlier run must never be counted
rmSync('reports', { recursive: true, force: true });
mkdirSync('reports', { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
let broken = false;

function run(title, cmd, args, env = {}) {
  console.log(`\n==== ${title}: ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

if (run('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']) !== 0) {
  totals.failed += 1;
  console.log('typecheck failed (counted as one failed test)');
} else {
  totals.passed += 1;
}

const unitStatus = run('unit', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile=reports/unit.json',
]);
if (existsSync('reports/unit.json')) {
  const r = JSON.parse(readFileSync('reports/unit.json', 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  if (unitStatus !== 0 && r.numFailedTests === 0) broken = true;
} else broken = true;

const e2eStatus = run('e2e', 'npx', ['playwright', 'test']);
if (existsSync('reports/e2e.json')) {
  const s = JSON.parse(readFileSync('reports/e2e.json', 'utf8')).stats;
  totals.passed += s.expected + s.flaky;
  totals.failed += s.unexpected;
  totals.skipped += s.skipped;
  if (e2eStatus !== 0 && s.unexpected === 0) broken = true;
} else broken = true;

const hasTorch =
  spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
if (hasTorch && existsSync('training/tests')) {
  const status = run('training', '/usr/bin/python3', [
    '-m',
    'pytest',
    '-q',
    'training/tests',
    '--junitxml=reports/training.xml',
  ]);
  if (existsSync('reports/training.xml')) {
    const xml = readFileSync('reports/training.xml', 'utf8');
    const attr = (name) =>
      Number(new RegExp(`<testsuite[^>]* ${name}="(\\d+)"`).exec(xml)?.[1] ?? 0);
    const tests = attr('tests');
    const failed = attr('failures') + attr('errors');
    const skipped = attr('skipped');
    totals.passed += tests - failed - skipped;
    totals.failed += failed;
    totals.skipped += skipped;
    if (status !== 0 && status !== 5 && failed === 0) broken = true;
  } else if (status !== 5) broken = true;
} else {
  console.log('\n==== training: skipped (no /usr/bin/python3 with torch)');
}

if (broken) console.log('a test runner failed without reporting a failed test');
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || broken ? 1 : 0);
