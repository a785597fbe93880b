import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../../src/cli/main';

const POLICY = JSON.stringify({
  rules: [
    { rulePriority: 1, description: 'Keep 1 release', selection: { tagStatus: 'tagged', tagPatternList: ['v*'], countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } },
    { rulePriority: 2, selection: { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 90 }, action: { type: 'transition', targetStorageClass: 'archive' } },
  ],
});
const IMAGES = JSON.stringify({
  imageDetails: [
    { imageDigest: 'sha256:aaa', imageTags: ['v1'], imagePushedAt: '2026-01-01T00:00:00Z', imageStatus: 'ACTIVE' },
    { imageDigest: 'sha256:bbb', imageTags: ['v2'], imagePushedAt: 1780000000, lastRecordedPullTime: 1780000000 },
    { imageDigest: 'sha256:ccc', imageTags: ['sha-1'], imagePushedAt: '2025-12-01T01:00:00.000000+01:00' }, // AWS CLI v2 format
    { imageDigest: 'sha256:ddd', imagePushedAt: '2025-12-01T00:00:00Z', subjectManifestDigest: 'sha256:ccc', artifactMediaType: 'application/vnd.cncf.notary.signature' },
  ],
});

function invoke(argv: string[], files: Record<string, string> = { 'p.json': POLICY, 'i.json': IMAGES }) {
  let stdout = '';
  let stderr = '';
  const code = run(argv, {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    readFile: (p) => {
      if (!(p in files)) throw Object.assign(new Error(`ENOENT: no such file, open '${p}'`), { code: 'ENOENT' });
      return files[p];
    },
  });
  return { code, stdout, stderr };
}
const BASE = ['lifecycle-preview', '--policy', 'p.json', '--images', 'i.json', '--now', '2026-06-01T00:00:00Z'];

describe('lifecycle-preview', () => {
  test('--json prints exactly one object shaped like GetLifecyclePolicyPreview', () => {
    const { code, stdout, stderr } = invoke([...BASE, '--json']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({
      previewResults: [
        { imageDigest: 'sha256:aaa', imageTags: ['v1'], imagePushedAt: '2026-01-01T00:00:00.000Z', action: { type: 'EXPIRE' }, appliedRulePriority: 1, storageClass: 'STANDARD' },
        { imageDigest: 'sha256:ccc', imageTags: ['sha-1'], imagePushedAt: '2025-12-01T00:00:00.000Z', action: { type: 'TRANSITION', targetStorageClass: 'ARCHIVE' }, appliedRulePriority: 2, storageClass: 'STANDARD' },
        { imageDigest: 'sha256:ddd', imageTags: [], imagePushedAt: '2025-12-01T00:00:00.000Z', action: { type: 'TRANSITION', targetStorageClass: 'ARCHIVE' }, appliedRulePriority: 2, storageClass: 'STANDARD' },
      ],
    });
  });

  test('--now accepts epoch seconds', () => {
    const { code, stdout } = invoke([...BASE.slice(0, 5), '--now', '1780272000', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).previewResults).toHaveLength(3);
  });

  test('without --json: a table and a per-rule summary', () => {
    const { code, stdout } = invoke(BASE);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^DIGEST\s+TAGS\s+PUSHED\s+ACTION\s+RULE\s+STORAGE$/);
    expect(lines[1]).toMatch(/^sha256:aaa\s+v1\s+2026-01-01T00:00:00Z\s+EXPIRE\s+1\s+STANDARD$/);
    expect(lines[3]).toMatch(/^sha256:ddd\s+<untagged>\s+.*ARCHIVE\s+2\s+STANDARD$/);
    expect(stdout).toContain('Summary: 4 images, 1 expire, 2 archived, 1 untouched');
    expect(stdout).toContain('  rule 1 (Keep 1 release): 1 expire, 0 archived');
    expect(stdout).toContain('  rule 2: 0 expire, 2 archived');
  });

  test('warnings go to stderr, including the describe-images --filter imageStatus=ANY note', () => {
    const policy = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 365 }, action: { type: 'expire' } }] });
    const { code, stderr } = invoke(BASE, { 'p.json': policy, 'i.json': IMAGES });
    expect(code).toBe(0);
    expect(stderr).toMatch(/^warning: NoArchivedImagesInInventory: .*--filter imageStatus=ANY\n$/);
  });

  test('--help prints the usage with the imageStatus=ANY note', () => {
    const { code, stdout } = invoke(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--filter imageStatus=ANY');
  });

  test.each([
    ['no command', ['lifecycle-peek'], /unknown command "lifecycle-peek"/],
    ['unknown option', [...BASE, '--yaml'], /unknown option "--yaml"/],
    ['missing --policy', ['lifecycle-preview', '--images', 'i.json'], /missing --policy/],
    ['missing --images', ['lifecycle-preview', '--policy', 'p.json'], /missing --images/],
    ['option without value', ['lifecycle-preview', '--policy'], /option --policy needs a value/],
    ['unreadable file', ['lifecycle-preview', '--policy', 'nope.json', '--images', 'i.json'], /cannot read nope\.json \(ENOENT\)/],
    ['bad --now', [...BASE, '--now', 'yesterday'], /--now "yesterday" is not a date/],
  ])('bad arguments: %s -> exit 2, one line', (_name, argv, message) => {
    const { code, stdout, stderr } = invoke(argv as string[]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test.each([
    ['policy not JSON', '{"rules":', IMAGES, /PolicyNotJson/],
    ['policy ECR would reject (all problems on one line)', JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countUnit: 'days', countNumber: 0 }, action: { type: 'expire' } }] }), IMAGES, /2 problems: - InvalidCountNumber: .* - CountUnitNotAllowed/],
    ['images not JSON', POLICY, 'nope', /i\.json is not valid JSON/],
    ['images without imageDetails', POLICY, '[]', /i\.json has no "imageDetails" array/],
    ['image without digest', POLICY, JSON.stringify({ imageDetails: [{ imagePushedAt: 1 }] }), /imageDetails\[0\] has no imageDigest/],
    ['image without push time', POLICY, JSON.stringify({ imageDetails: [{ imageDigest: 'd' }] }), /imageDetails\[0\] has no imagePushedAt/],
    ['bad date', POLICY, JSON.stringify({ imageDetails: [{ imageDigest: 'd', imagePushedAt: 'last week' }] }), /imageDetails\[0\]\.imagePushedAt "last week" is not a date/],
    ['bad tags', POLICY, JSON.stringify({ imageDetails: [{ imageDigest: 'd', imagePushedAt: 1, imageTags: 'v1' }] }), /imageTags must be a list of strings/],
    ['bad status', POLICY, JSON.stringify({ imageDetails: [{ imageDigest: 'd', imagePushedAt: 1, imageStatus: 'GONE' }] }), /imageStatus "GONE" is invalid/],
  ])('bad input: %s -> exit 2, one line', (_name, policy, images, message) => {
    const { code, stdout, stderr } = invoke(BASE, { 'p.json': policy, 'i.json': images });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('the bin, spawned', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csr-cli-'));
  const main = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
  fs.writeFileSync(path.join(dir, 'p.json'), POLICY);
  fs.writeFileSync(path.join(dir, 'i.json'), IMAGES);
  fs.writeFileSync(path.join(dir, 'bad.json'), '{"rules":[]}');
  const tsNode = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'ts-node');
  const tsconfig = path.join(__dirname, '..', 'tsconfig.json');

  test('starts with a node shebang', () => {
    expect(fs.readFileSync(main, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  test('prints JSON and exits 0; bad policy exits 2 with one line and no stack trace', () => {
    const out = execFileSync(tsNode, ['--project', tsconfig, '--transpile-only', main, 'lifecycle-preview', '--policy', path.join(dir, 'p.json'),
      '--images', path.join(dir, 'i.json'), '--now', '2026-06-01T00:00:00Z', '--json'], { encoding: 'utf8' });
    expect(JSON.parse(out).previewResults).toHaveLength(3);

    const bad = spawnSync(tsNode, ['--project', tsconfig, '--transpile-only', main, 'lifecycle-preview', '--policy', path.join(dir, 'bad.json'),
      '--images', path.join(dir, 'i.json')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^cdk-secure-registry: error: NoRules: .*\n$/);
  }, 60_000);
});
