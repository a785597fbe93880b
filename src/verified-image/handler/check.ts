/*
 * The decisions of VerifiedImage's deploy-time check, apart from Lambda and CloudFormation
 * plumbing (index.ts), so that tests drive them with mocked SDK clients, a fake clock and no
 * sleeps. Not part of the library's API: bundled into lib/verified-image/bundle/index.js.
 *
 * Order: resolve the tag to a digest -> wait (bounded) for the scan of that digest and, when
 * required, for its managed-signing status -> evaluate the findings against the policy ->
 * succeed with the digest. Everything is read by digest after the first step, so a tag moved
 * meanwhile cannot swap the image that was checked for another.
 */
import {
  BatchGetImageCommand, DescribeImageScanFindingsCommand, DescribeImageScanFindingsCommandOutput,
  DescribeImageSigningStatusCommand, DescribeImagesCommand, ECRClient, ImageIdentifier,
} from '@aws-sdk/client-ecr';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';

/** The severities ECR reports, most severe first (Inspector's UNTRIAGED counts as UNDEFINED). */
export const SEVERITY_ORDER = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'];

/** One allowlist entry: a finding id, why it is accepted and the last day (UTC) it is. */
export interface AllowEntry {
  readonly id: string;
  readonly reason: string;
  /** `YYYY-MM-DD`, inclusive. */
  readonly expiresOn: string;
}

/** The policy as the construct renders it into the custom resource's `Policy` property. */
export interface CheckPolicy {
  /** Findings of this severity or a more severe one block the deploy. */
  readonly blockOn: string;
  readonly allowlist: AllowEntry[];
  /** Block only findings whose fix is available (enhanced scanning tells; basic never does). */
  readonly fixableOnly: boolean;
  /**
   * Signing profile ARNs whose managed signature must be COMPLETE ([] = no signing check); an entry
   * ending in `*` matches every profile ARN that starts with the rest.
   */
  readonly signingProfileArns: string[];
  readonly timeoutSeconds: number;
  readonly pollSeconds: number;
  /** Where the full findings list is published when the check fails (optional). */
  readonly topicArn?: string;
}

/** What the custom resource's properties say (CloudFormation passes every scalar as a string). */
export interface CheckRequest {
  readonly repositoryName: string;
  readonly registryId: string;
  readonly imageTag?: string;
  readonly imageDigest?: string;
  /** Import the tag through the repository's pull-through cache rule first. */
  readonly pullThroughCache: boolean;
  readonly policy: CheckPolicy;
}

/** One finding, normalized across basic and enhanced scanning. */
export interface Finding {
  readonly id: string;
  readonly severity: string;
  readonly packageName?: string;
  readonly packageVersion?: string;
  readonly fixedInVersion?: string;
  /** 'YES' | 'NO' | 'PARTIAL' from enhanced scanning; undefined when the scanner does not say. */
  readonly fixAvailable?: string;
}

export interface CheckOutcome {
  readonly passed: boolean;
  readonly digest?: string;
  /** One line per problem; the first is the headline. */
  readonly reason: string;
  readonly blocking: Finding[];
  /** Set when the tag pointed elsewhere after the check (the checked digest is still the one used). */
  readonly tagMovedTo?: string;
}

/** Injected so tests control time. */
export interface CheckEnvironment {
  readonly ecr: ECRClient;
  readonly sns?: SNSClient;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds the invocation may still spend before it must answer CloudFormation. */
  readonly remainingMs: () => number;
  /** Where the full report goes in any case (the function's log group), for messages. */
  readonly logGroupName?: string;
  readonly log: (message: string) => void;
}

/** Scan statuses after which no scan result will ever come for this digest. */
const SCAN_DEAD_ENDS: Record<string, string> = {
  FAILED: 'the scan failed',
  UNSUPPORTED_IMAGE: 'the scanner does not support this image (e.g. its operating system or an image index)',
  SCAN_ELIGIBILITY_EXPIRED: 'the image is no longer eligible for enhanced scanning (pushed too long ago or not pulled recently)',
  FINDINGS_UNAVAILABLE: 'the scanner has no findings for this image',
  LIMIT_EXCEEDED: 'the scan quota was exceeded (one basic scan per image per 24 hours)',
  IMAGE_ARCHIVED: 'the image is archived: restore it to scan and pull it',
  IMAGE_SIZE_EXCEEDED: 'the image is larger than the scanner accepts',
};
const SCAN_DONE = new Set(['COMPLETE', 'ACTIVE']);

/** Margin kept to answer CloudFormation after the last poll. */
const ANSWER_MARGIN_MS = 20_000;

class CheckFailure extends Error {
  constructor(message: string, public readonly digest?: string) {
    super(message);
  }
}

/** Runs the check; never throws for a decision (only for programming errors). */
export async function runCheck(request: CheckRequest, env: CheckEnvironment): Promise<CheckOutcome> {
  let digest: string | undefined;
  try {
    digest = await resolveDigest(request, env);
    const first = await waitForScanAndSignature(request, digest, env);
    const findings = await readFindings(request, digest, first, env);
    const verdict = evaluate(findings, request.policy, env.now());
    const tagMovedTo = await tagMoved(request, digest, env);
    const subject = `${request.repositoryName}@${digest}`;
    if (verdict.blocking.length > 0) {
      return {
        passed: false,
        digest,
        blocking: verdict.blocking,
        tagMovedTo,
        reason: `${subject} has ${verdict.blocking.length} blocking finding(s) at or above ${request.policy.blockOn}` +
          `${request.policy.fixableOnly ? ' with a fix available' : ''}: ` +
          verdict.blocking.map(describeFinding).join('; ') +
          (verdict.expired.length > 0 ? `; expired allowlist entries no longer allow: ${verdict.expired.join(', ')}` : ''),
      };
    }
    return {
      passed: true,
      digest,
      blocking: [],
      tagMovedTo,
      reason: `${subject} passed: ${findings.length} finding(s), none blocking` +
        (verdict.allowed.length > 0 ? ` (allowlisted: ${verdict.allowed.join(', ')})` : '') +
        (request.policy.signingProfileArns.length > 0 ? '; signed' : ''),
    };
  } catch (e) {
    if (e instanceof CheckFailure) {
      return { passed: false, digest: e.digest ?? digest, blocking: [], reason: e.message };
    }
    // A rejected SDK call (an ECR error, a request or connection timeout, a network error, each
    // after the SDK's retries): no decision about the image, so the deploy is refused with it.
    const err = e as { name?: string; message?: string };
    return {
      passed: false,
      digest,
      blocking: [],
      reason: `${request.repositoryName}: an ECR call failed: ${err.name ?? 'Error'}: ${err.message ?? String(e)}; ` +
        'nothing was verified: deploy again to retry',
    };
  }
}

function imageIdOf(request: CheckRequest): ImageIdentifier {
  return request.imageDigest ? { imageDigest: request.imageDigest } : { imageTag: request.imageTag };
}

function where(request: CheckRequest): string {
  return `${request.repositoryName}:${request.imageTag ?? request.imageDigest}`;
}

async function resolveDigest(request: CheckRequest, env: CheckEnvironment): Promise<string> {
  const base = { repositoryName: request.repositoryName, registryId: request.registryId };
  if (request.pullThroughCache) {
    // The first BatchGetImage through a pull-through cache rule imports the image from upstream
    // (ecr:BatchImportUpstreamImage; ecr:CreateRepository the first time).
    // https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
    const got = await env.ecr.send(new BatchGetImageCommand({ ...base, imageIds: [imageIdOf(request)] }));
    const failure = got.failures?.[0];
    if (failure && !got.images?.length) {
      throw new CheckFailure(`${where(request)} could not be pulled through the cache: ${failure.failureCode}: ${failure.failureReason}`);
    }
  }
  try {
    const described = await env.ecr.send(new DescribeImagesCommand({ ...base, imageIds: [imageIdOf(request)] }));
    const digest = described.imageDetails?.[0]?.imageDigest;
    if (!digest) {
      throw new CheckFailure(`${where(request)} was not found`);
    }
    return digest;
  } catch (e) {
    if ((e as Error).name === 'ImageNotFoundException' || (e as Error).name === 'RepositoryNotFoundException') {
      throw new CheckFailure(`${where(request)} was not found (${(e as Error).name}): push it first, or check the tag or digest`);
    }
    throw e;
  }
}

/**
 * Polls until the scan of `digest` is complete and every expected signature is COMPLETE, a dead
 * end is reached, or the timeout (bounded by what the invocation has left) runs out.
 */
async function waitForScanAndSignature(request: CheckRequest, digest: string, env: CheckEnvironment)
  : Promise<DescribeImageScanFindingsCommandOutput> {
  const started = env.now();
  const deadline = started + request.policy.timeoutSeconds * 1000;
  const subject = `${request.repositoryName}@${digest}`;
  let scanPending = 'not started';
  let signingPending = '';
  for (;;) {
    let firstPage: DescribeImageScanFindingsCommandOutput | undefined;
    try {
      const page = await env.ecr.send(new DescribeImageScanFindingsCommand({
        repositoryName: request.repositoryName, registryId: request.registryId, imageId: { imageDigest: digest },
      }));
      const status = page.imageScanStatus?.status ?? 'PENDING';
      if (SCAN_DONE.has(status)) {
        firstPage = page;
      } else if (SCAN_DEAD_ENDS[status]) {
        throw new CheckFailure(`${subject}: scan status ${status}: ${SCAN_DEAD_ENDS[status]}` +
          (page.imageScanStatus?.description ? ` (${page.imageScanStatus.description})` : ''), digest);
      } else {
        scanPending = status;
      }
    } catch (e) {
      if ((e as Error).name !== 'ScanNotFoundException') {
        throw e;
      }
      scanPending = 'no scan of this image yet';
    }

    signingPending = await signingProblem(request, digest, env);

    if (firstPage && !signingPending) {
      return firstPage;
    }
    const now = env.now();
    const waitMs = request.policy.pollSeconds * 1000;
    if (now + waitMs > deadline || env.remainingMs() - waitMs < ANSWER_MARGIN_MS) {
      const pending = [
        firstPage ? undefined : `the scan (${scanPending}${scanPending === 'no scan of this image yet'
          ? ': check that a registry scanning rule covers the repository' : ''})`,
        signingPending || undefined,
      ].filter(Boolean).join(' and ');
      throw new CheckFailure(`${subject}: timed out after ${Math.round((now - started) / 1000)}s waiting for ${pending}; ` +
        'deploy again to retry, or raise the timeout', digest);
    }
    env.log(`waiting ${request.policy.pollSeconds}s: scan ${firstPage ? 'done' : scanPending}` +
      (signingPending ? `, ${signingPending}` : ''));
    await env.sleep(waitMs);
  }
}

/** '' when every expected profile has a COMPLETE signature; what is missing otherwise. Throws on FAILED. */
async function signingProblem(request: CheckRequest, digest: string, env: CheckEnvironment): Promise<string> {
  const expected = request.policy.signingProfileArns;
  if (expected.length === 0) {
    return '';
  }
  // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImageSigningStatus.html
  const out = await env.ecr.send(new DescribeImageSigningStatusCommand({
    repositoryName: request.repositoryName, registryId: request.registryId, imageId: { imageDigest: digest },
  }));
  const statuses = out.signingStatuses ?? [];
  const missing: string[] = [];
  for (const arn of expected) {
    const s = statuses.find((x) => x.signingProfileArn !== undefined && profileMatches(arn, x.signingProfileArn));
    if (s?.status === 'FAILED') {
      throw new CheckFailure(`${request.repositoryName}@${digest} is not signed: managed signing with ${arn} FAILED` +
        `: ${s.failureCode ?? ''} ${s.failureReason ?? ''}`.trimEnd(), digest);
    }
    if (s?.status !== 'COMPLETE') {
      missing.push(`${arn} ${s?.status ?? 'no signature'}`);
    }
  }
  return missing.length > 0 ? `the signature (${missing.join(', ')})` : '';
}

/**
 * Whether a signing status's profile is the expected one. The construct writes a pattern ending
 * in `/signing-profiles/*` for a profile of another account or Region, which it cannot reference.
 */
export function profileMatches(expected: string, actual: string): boolean {
  if (!expected.endsWith('*')) {
    return expected === actual;
  }
  return actual.startsWith(expected.slice(0, -1));
}

async function readFindings(request: CheckRequest, digest: string, first: DescribeImageScanFindingsCommandOutput,
  env: CheckEnvironment): Promise<Finding[]> {
  const findings: Finding[] = [];
  let page: DescribeImageScanFindingsCommandOutput | undefined = first;
  while (page) {
    findings.push(...normalize(page));
    const next: string | undefined = page.nextToken;
    page = next ? await env.ecr.send(new DescribeImageScanFindingsCommand({
      repositoryName: request.repositoryName, registryId: request.registryId, imageId: { imageDigest: digest }, nextToken: next,
    })) : undefined;
  }
  return findings;
}

/** Basic findings (`findings`) and enhanced ones (`enhancedFindings`, Amazon Inspector) as one list. */
export function normalize(page: DescribeImageScanFindingsCommandOutput): Finding[] {
  const out: Finding[] = [];
  for (const f of page.imageScanFindings?.findings ?? []) {
    const attr = (key: string) => f.attributes?.find((a) => a.key === key)?.value;
    out.push({
      id: f.name ?? 'unknown',
      severity: f.severity ?? 'UNDEFINED',
      packageName: attr('package_name'),
      packageVersion: attr('package_version'),
    });
  }
  for (const f of page.imageScanFindings?.enhancedFindings ?? []) {
    // Findings Inspector closed or a suppression rule hides are not active.
    if (f.status && f.status !== 'ACTIVE') {
      continue;
    }
    const pkg = f.packageVulnerabilityDetails?.vulnerablePackages?.[0];
    const severity = (f.severity ?? 'UNDEFINED').toUpperCase();
    out.push({
      id: f.packageVulnerabilityDetails?.vulnerabilityId ?? f.title ?? f.findingArn ?? 'unknown',
      severity: severity === 'UNTRIAGED' ? 'UNDEFINED' : severity,
      packageName: pkg?.name,
      packageVersion: pkg?.version,
      fixedInVersion: pkg?.fixedInVersion && pkg.fixedInVersion !== 'NotAvailable' ? pkg.fixedInVersion : undefined,
      fixAvailable: f.fixAvailable,
    });
  }
  return out;
}

/** The policy applied to findings at `nowMs`. */
export function evaluate(findings: Finding[], policy: CheckPolicy, nowMs: number) {
  const today = new Date(nowMs).toISOString().slice(0, 10);
  const limit = SEVERITY_ORDER.indexOf(policy.blockOn);
  const allowed = new Set<string>();
  const expired = new Set<string>();
  const blocking: Finding[] = [];
  for (const f of findings) {
    const rank = SEVERITY_ORDER.indexOf(f.severity);
    if (rank < 0 || rank > limit) {
      continue;
    }
    // Enhanced scanning says whether a fix exists; basic scanning never does, so there a finding counts as fixable.
    if (policy.fixableOnly && f.fixAvailable === 'NO') {
      continue;
    }
    const entry = policy.allowlist.find((a) => a.id.toLowerCase() === f.id.toLowerCase());
    if (entry && entry.expiresOn >= today) {
      allowed.add(f.id);
      continue;
    }
    if (entry) {
      expired.add(`${entry.id} (expired ${entry.expiresOn})`);
    }
    blocking.push(f);
  }
  blocking.sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.id.localeCompare(b.id));
  return { blocking, allowed: [...allowed], expired: [...expired] };
}

async function tagMoved(request: CheckRequest, digest: string, env: CheckEnvironment): Promise<string | undefined> {
  if (!request.imageTag || request.imageDigest) {
    return undefined;
  }
  try {
    const again = await env.ecr.send(new DescribeImagesCommand({
      repositoryName: request.repositoryName, registryId: request.registryId, imageIds: [{ imageTag: request.imageTag }],
    }));
    const now = again.imageDetails?.[0]?.imageDigest;
    if (now && now !== digest) {
      env.log(`tag ${request.imageTag} now points to ${now}; the checked image ${digest} is the one deployed`);
      return now;
    }
  } catch (e) {
    env.log(`tag ${request.imageTag} could not be read again: ${(e as Error).name}`);
  }
  return undefined;
}

export function describeFinding(f: Finding): string {
  const pkg = f.packageName ? ` ${f.packageName}${f.packageVersion ? ` ${f.packageVersion}` : ''}` : '';
  const fix = f.fixedInVersion ? ` (fixed in ${f.fixedInVersion})` : f.fixAvailable === 'NO' ? ' (no fix)' : '';
  return `${f.id} ${f.severity}${pkg}${fix}`;
}

/**
 * Publishes the full report of a failed check to the topic, if one is configured. SNS accepts
 * 256 KiB per message: a longer list is cut there too.
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
export async function publishReport(request: CheckRequest, outcome: CheckOutcome, env: CheckEnvironment): Promise<boolean> {
  if (!request.policy.topicArn || !env.sns) {
    return false;
  }
  const lines = [
    `VerifiedImage check failed for ${request.repositoryName}@${outcome.digest ?? '(unresolved)'}`,
    outcome.blocking.length > 0 ? `${outcome.blocking.length} blocking finding(s):` : outcome.reason,
    ...outcome.blocking.map(describeFinding),
  ];
  const message = truncateBytes(lines.join('\n'), 250 * 1024);
  await env.sns.send(new PublishCommand({
    TopicArn: request.policy.topicArn,
    Subject: 'VerifiedImage check failed',
    Message: message,
  }));
  return true;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes (never in the middle of a character). */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) {
    return text;
  }
  let cut = text.slice(0, maxBytes);
  while (Buffer.byteLength(cut, 'utf8') > maxBytes) {
    cut = cut.slice(0, -1);
  }
  return cut;
}
