#!/usr/bin/env node
/*
 * cdk-secure-registry: command-line tools of the library.
 *
 *   cdk-secure-registry lifecycle-preview --policy POLICY.json --images IMAGES.json [--now ISO-8601] [--json]
 *
 * Not part of the library's API (not exported from src/index.ts).
 */
import * as fs from 'fs';
import { LifecyclePolicy } from '../lifecycle/lifecycle-policy';
import { LifecycleImage, LifecycleImageStatus, LifecyclePreview } from '../lifecycle/preview';

/** Where the CLI reads and writes; injectable for tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => string;
}

export const USAGE = `Usage: cdk-secure-registry lifecycle-preview --policy POLICY.json --images IMAGES.json [--now ISO-8601] [--json]

Evaluates an ECR lifecycle policy against an image inventory offline, as ECR documents it.

  --policy FILE   an ECR lifecycle policy document {"rules":[...]}
                  (aws ecr get-lifecycle-policy --query lifecyclePolicyText --output text)
  --images FILE   the output of aws ecr describe-images ({"imageDetails":[...]});
                  dates as ISO-8601 strings or epoch seconds.
                  describe-images lists only ACTIVE images unless given
                  --filter imageStatus=ANY: use it when the policy has archive rules.
  --now TIME      evaluate at this time (ISO-8601 or epoch seconds; default: now)
  --json          print one JSON object {"previewResults":[...]} (ECR's
                  GetLifecyclePolicyPreview shape) instead of a table

Exit codes: 0 preview printed (warnings go to stderr), 2 bad input.`;

class InputError extends Error {}

function parseDate(value: unknown, what: string): Date {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return new Date(value * 1000);
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const asNumber = Number(value);
    const d = Number.isFinite(asNumber) ? new Date(asNumber * 1000) : new Date(value);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new InputError(`${what} ${JSON.stringify(value)} is not a date; use an ISO-8601 string or epoch seconds`);
}

function optionalDate(value: unknown, what: string): Date | undefined {
  return value === undefined || value === null ? undefined : parseDate(value, what);
}

const STATUSES: string[] = [LifecycleImageStatus.ACTIVE, LifecycleImageStatus.ARCHIVED, LifecycleImageStatus.ACTIVATING];

/** Reads `aws ecr describe-images` output. */
export function parseImages(text: string, file: string): LifecycleImage[] {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file} is not valid JSON (${(e as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.imageDetails)) {
    throw new InputError(`${file} has no "imageDetails" array; pass the output of aws ecr describe-images`);
  }
  return doc.imageDetails.map((d: any, i: number): LifecycleImage => {
    const at = `${file}: imageDetails[${i}]`;
    if (typeof d !== 'object' || d === null || typeof d.imageDigest !== 'string') {
      throw new InputError(`${at} has no imageDigest string`);
    }
    if (d.imageTags !== undefined && (!Array.isArray(d.imageTags) || d.imageTags.some((t: unknown) => typeof t !== 'string'))) {
      throw new InputError(`${at}.imageTags must be a list of strings`);
    }
    if (d.imageStatus !== undefined && !STATUSES.includes(d.imageStatus)) {
      throw new InputError(`${at}.imageStatus ${JSON.stringify(d.imageStatus)} is invalid; expected ${STATUSES.join(', ')}`);
    }
    if (d.imagePushedAt === undefined) {
      throw new InputError(`${at} has no imagePushedAt`);
    }
    return {
      imageDigest: d.imageDigest,
      imageTags: d.imageTags,
      imagePushedAt: parseDate(d.imagePushedAt, `${at}.imagePushedAt`),
      lastRecordedPullTime: optionalDate(d.lastRecordedPullTime, `${at}.lastRecordedPullTime`),
      imageStatus: d.imageStatus,
      lastArchivedAt: optionalDate(d.lastArchivedAt, `${at}.lastArchivedAt`),
      lastActivatedAt: optionalDate(d.lastActivatedAt, `${at}.lastActivatedAt`),
      subjectManifestDigest: typeof d.subjectManifestDigest === 'string' ? d.subjectManifestDigest : undefined,
    };
  });
}

interface Args {
  policy: string;
  images: string;
  now?: string;
  json: boolean;
}

function parseArgs(argv: string[]): Args | 'help' {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') return 'help';
  const [command, ...rest] = argv;
  if (command !== 'lifecycle-preview') {
    throw new InputError(`unknown command "${command}"; the only command is lifecycle-preview (see --help)`);
  }
  const args: Partial<Args> = { json: false };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === '--help' || flag === '-h') return 'help';
    if (flag === '--json') {
      args.json = true;
      continue;
    }
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    if (name !== '--policy' && name !== '--images' && name !== '--now') {
      throw new InputError(`unknown option "${flag}" (see --help)`);
    }
    const value = inline ?? rest[++i];
    if (value === undefined || value === '') {
      throw new InputError(`option ${name} needs a value`);
    }
    (args as any)[name.slice(2)] = value;
  }
  if (!args.policy) throw new InputError('missing --policy POLICY.json');
  if (!args.images) throw new InputError('missing --images IMAGES.json');
  return args as Args;
}

function read(io: CliIo, file: string): string {
  try {
    return io.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${file}${code ? ` (${code})` : ''}`);
  }
}

/** The preview as `--json` prints it: ECR's GetLifecyclePolicyPreview result shape. */
export function toJson(preview: LifecyclePreview): object {
  return {
    previewResults: preview.previewResults.map((r) => ({
      imageDigest: r.imageDigest,
      imageTags: r.imageTags,
      imagePushedAt: r.imagePushedAt.toISOString(),
      action: r.action.targetStorageClass ? { type: r.action.type, targetStorageClass: r.action.targetStorageClass } : { type: r.action.type },
      appliedRulePriority: r.appliedRulePriority,
      storageClass: r.storageClass,
    })),
  };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** A table a person can read, and a summary. */
export function toTable(preview: LifecyclePreview): string {
  const lines: string[] = [];
  const rows = preview.previewResults.map((r) => [
    r.imageDigest.length > 19 ? r.imageDigest.slice(0, 19) : r.imageDigest,
    r.imageTags.length ? r.imageTags.join(',') : '<untagged>',
    r.imagePushedAt.toISOString().replace('.000Z', 'Z'),
    r.action.type === 'TRANSITION' ? 'ARCHIVE' : 'EXPIRE',
    String(r.appliedRulePriority),
    r.storageClass,
  ]);
  const header = ['DIGEST', 'TAGS', 'PUSHED', 'ACTION', 'RULE', 'STORAGE'];
  const widths = header.map((h, c) => Math.min(40, Math.max(h.length, ...rows.map((row) => row[c].length))));
  if (rows.length === 0) {
    lines.push('No image would be expired or archived.');
  } else {
    lines.push(header.map((h, c) => pad(h, widths[c])).join('  ').trimEnd());
    for (const row of rows) lines.push(row.map((v, c) => pad(v, widths[c])).join('  ').trimEnd());
  }
  const s = preview.summary;
  lines.push('');
  lines.push(`Summary: ${s.imageTotalCount} images, ${s.expiringImageTotalCount} expire, ${s.transitioningImageTotalCount} archived, ${s.imageTotalCount - s.expiringImageTotalCount - s.transitioningImageTotalCount} untouched`);
  for (const r of s.rules) {
    lines.push(`  rule ${r.rulePriority}${r.description ? ` (${r.description})` : ''}: ${r.expiringImageCount} expire, ${r.transitioningImageCount} archived`);
  }
  return lines.join('\n');
}

/** Runs the CLI; returns the exit code. Never throws. */
export function run(argv: string[], io: CliIo): number {
  try {
    const args = parseArgs(argv);
    if (args === 'help') {
      io.stdout(USAGE + '\n');
      return 0;
    }
    const policy = LifecyclePolicy.fromJson(read(io, args.policy));
    const images = parseImages(read(io, args.images), args.images);
    const now = args.now === undefined ? new Date() : parseDate(args.now, '--now');
    const preview = policy.preview(images, now);
    io.stdout((args.json ? JSON.stringify(toJson(preview)) : toTable(preview)) + '\n');
    for (const w of preview.warnings) io.stderr(`warning: ${w.code}: ${w.message}\n`);
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`cdk-secure-registry: error: ${message.split('\n').map((l) => l.trim()).filter((l) => l).join(' ')}\n`);
    return 2;
  }
}

/* istanbul ignore next: exercised by the spawn test */
if (require.main === module) {
  process.exitCode = run(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readFile: (p) => fs.readFileSync(p, 'utf8'),
  });
}
