/**
 * Offline verification of the committed integ-runner snapshots (`test/integ.<name>.ts.snapshot/`).
 *
 * `integ-runner` 2.197.10 (the newest release) bundles cloud assembly schema 53 and refuses
 * the schema 55 assemblies aws-cdk-lib 2.276.0 writes ("Maximum schema version supported is
 * 53.x.x"), so it can neither create nor verify these snapshots yet. Until it can, this test
 * does what its snapshot step does: synthesize each integ app the way integ-runner does (its
 * placeholder env, its recommended feature flags as context) and compare every template and
 * the integ manifest with the committed snapshot, asset hashes canonicalized (asset
 * directories are not committed).
 *
 * Regenerate after an intended change: `INTEG_SNAPSHOT_UPDATE=1 npx jest test/integ-snapshots`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const INTEG_TESTS = ['integ.repository.ts', 'integ.secure-registry.ts', 'integ.verified-image.ts'];
const UPDATE = process.env.INTEG_SNAPSHOT_UPDATE === '1';

/** The env integ-runner exports while synthesizing snapshots (runner-base DEFAULT_SYNTH_OPTIONS). */
const RUNNER_ENV: Record<string, string> = {
  CDK_INTEG_ACCOUNT: '12345678',
  CDK_INTEG_REGION: 'test-region',
};

/** integ-runner's context: its recommended flags without target-partitions (runner-base getContext). */
function runnerContext(): Record<string, unknown> {
  const flags = JSON.parse(fs.readFileSync(
    require.resolve('@aws-cdk/integ-runner/lib/recommended-feature-flags.json'), 'utf-8'));
  delete flags['@aws-cdk/core:target-partitions'];
  return flags;
}

function synthesize(testFile: string): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-snapshot-'));
  const saved = { ...process.env };
  Object.assign(process.env, RUNNER_ENV, {
    CDK_OUTDIR: outdir,
    CDK_CONTEXT_JSON: JSON.stringify(runnerContext()),
  });
  delete process.env.CDK_DEFAULT_ACCOUNT;
  delete process.env.CDK_DEFAULT_REGION;
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(__dirname, testFile));
    });
  } finally {
    process.env = saved;
  }
  return outdir;
}

/**
 * Asset hashes depend on bundling details and asset contents we do not commit; `salt` is the
 * synthesis time integ-tests-alpha stamps on every assertion (so it re-runs on each deploy).
 */
function canonical(text: string): unknown {
  return JSON.parse(text.replace(/[0-9a-f]{64}/g, '<ASSET-HASH>'),
    (key, value) => (key === 'salt' ? '<SALT>' : value));
}

function comparedFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.template.json') || f === 'integ.json').sort();
}

function writeSnapshot(outdir: string, snapshotDir: string): void {
  fs.rmSync(snapshotDir, { recursive: true, force: true });
  fs.mkdirSync(snapshotDir, { recursive: true });
  for (const f of fs.readdirSync(outdir)) {
    if (f.startsWith('asset.') || f === '.cache') {
      continue;
    }
    const text = fs.readFileSync(path.join(outdir, f), 'utf-8');
    fs.writeFileSync(path.join(snapshotDir, f), f.endsWith('.json') ? withoutCreationStacks(text) : text);
  }
}

/** Stack traces name local paths: not part of a committed snapshot (integ-runner drops them too). */
function withoutCreationStacks(text: string): string {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      return value
        .filter((e) => !(e && typeof e === 'object' && (e as { type?: unknown }).type === 'aws:cdk:creationStack'))
        .map(strip);
    }
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'trace').map(([k, v]) => [k, strip(v)]));
    }
    return value;
  };
  return JSON.stringify(strip(JSON.parse(text)), undefined, 1) + '\n';
}

describe('integration test snapshots', () => {
  test.each(INTEG_TESTS)('%s synthesizes to its committed snapshot', (testFile) => {
    // GIVEN
    const snapshotDir = path.join(__dirname, `${testFile}.snapshot`);

    // WHEN
    const outdir = synthesize(testFile);
    if (UPDATE) {
      writeSnapshot(outdir, snapshotDir);
    }

    // THEN
    expect(fs.existsSync(snapshotDir)).toBe(true);
    const expectedFiles = comparedFiles(snapshotDir);
    expect(comparedFiles(outdir)).toEqual(expectedFiles);
    expect(expectedFiles).toContain('integ.json');
    for (const f of expectedFiles) {
      const actual = canonical(fs.readFileSync(path.join(outdir, f), 'utf-8'));
      const expected = canonical(fs.readFileSync(path.join(snapshotDir, f), 'utf-8'));
      expect({ file: f, content: actual }).toEqual({ file: f, content: expected });
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});
