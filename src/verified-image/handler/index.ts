/*
 * VerifiedImage's custom-resource handler (CloudFormation calls the function directly; it answers
 * through the presigned ResponseURL itself). Bundled with its SDK clients by esbuild into
 * lib/verified-image/bundle/index.js at the library's build: the SDK of the Lambda runtime lags
 * ECR's newer APIs such as DescribeImageSigningStatus.
 *
 * - Delete: always succeeds (nothing was created; an image is never deleted).
 * - Update whose properties are ones this resource already verified: succeeds without checking
 *   again, with the digest verified for them. The physical id holds the hash and digest of the
 *   last check that passed and of the one before it (`verified-image:<hash>:<digest>[:<hash>:<digest>]`),
 *   so both rollbacks CloudFormation can send are answered without calling ECR:
 *   - after this resource's update failed: the old properties with the unchanged physical id
 *     (they are the id's current entry);
 *   - after this resource's update passed and another resource failed: the old properties with
 *     the new physical id ("UPDATE custom resource (new -> old)", aws/aws-cdk#29581); they are the
 *     id's previous entry, and the answer carries the old digest.
 *   A rollback to an image that no longer passes (new CVEs, a deleted tag) therefore cannot leave
 *   the stack in UPDATE_ROLLBACK_FAILED. The answer keeps the physical id CloudFormation sent.
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-update.html
 * - Create and any other Update: runs the check (check.ts). On success the physical id changes to
 *   the new properties' hash and digest, followed by the entry of the properties being replaced
 *   (the old properties' entry in the old id), so CloudFormation treats the old one as replaced and
 *   only sends it a Delete; on failure the physical id stays the one CloudFormation sent.
 *
 * The response body is at most 4,096 bytes: the failure reason is cut to fit and says where the
 * full list went (this function's log group, and the SNS topic when one is configured).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */
import { createHash } from 'crypto';
import * as https from 'https';
import { ECRClient } from '@aws-sdk/client-ecr';
import { SNSClient } from '@aws-sdk/client-sns';
import { CheckEnvironment, CheckPolicy, CheckRequest, describeFinding, publishReport, runCheck } from './check';

/** The CloudFormation custom resource request (the fields we use). */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, any>;
  readonly OldResourceProperties?: Record<string, any>;
}

/** The response CloudFormation reads from the ResponseURL. */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** CloudFormation's limit on the response body. */
export const MAX_RESPONSE_BYTES = 4096;

/**
 * `verified-image:<hash>:<digest>`, optionally followed by `:<hash>:<digest>` of the check that
 * passed before it (at most 193 characters; CloudFormation allows a physical id of 1 KB).
 */
const PHYSICAL_ID = /^verified-image:([0-9a-f]{16}):(sha256:[0-9a-f]{64})(?::([0-9a-f]{16}):(sha256:[0-9a-f]{64}))?$/;

/** One passed check recorded in a physical id. */
interface VerifiedEntry {
  readonly hash: string;
  readonly digest: string;
}

/** The entries a physical id records, the last check first ([] for a failed or foreign id). */
export function verifiedEntries(physicalId: string | undefined): VerifiedEntry[] {
  const m = PHYSICAL_ID.exec(physicalId ?? '');
  if (!m) {
    return [];
  }
  const entries = [{ hash: m[1], digest: m[2] }];
  if (m[3] && m[4]) {
    entries.push({ hash: m[3], digest: m[4] });
  }
  return entries;
}

/** The physical id of a passed check, carrying the entry of the properties it replaces. */
export function physicalIdOf(current: VerifiedEntry, previous?: VerifiedEntry): string {
  const head = `verified-image:${current.hash}:${current.digest}`;
  return previous && previous.hash !== current.hash ? `${head}:${previous.hash}:${previous.digest}` : head;
}

/** The hash of the properties that decide a check (the service token is not one of them). */
export function propertiesHash(props: Record<string, any>): string {
  const { ServiceToken: _token, ...rest } = props;
  return createHash('sha256').update(canonical(rest)).digest('hex').slice(0, 16);
}

function canonical(value: any): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The attributes the construct reads: the digest, and its hex part (the construct adds `sha256:`). */
function digestData(digest: string): Record<string, string> {
  return { ImageDigest: digest, ImageDigestHex: digest.replace(/^sha256:/, '') };
}

/** Reads the custom resource properties the construct writes. */
export function parseRequest(props: Record<string, any>): CheckRequest {
  const policy = JSON.parse(String(props.Policy)) as CheckPolicy;
  return {
    repositoryName: String(props.RepositoryName),
    registryId: String(props.RegistryId),
    imageTag: props.ImageTag ? String(props.ImageTag) : undefined,
    imageDigest: props.ImageDigest ? String(props.ImageDigest) : undefined,
    pullThroughCache: String(props.PullThroughCache) === 'true',
    policy,
  };
}

/** Decides the answer to one CloudFormation request. */
export async function handleEvent(event: CustomResourceEvent, env: CheckEnvironment): Promise<CustomResourceResponse> {
  const base = { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
  const currentId = event.PhysicalResourceId ?? `verified-image:failed:${event.RequestId}`;
  if (event.RequestType === 'Delete') {
    return { ...base, Status: 'SUCCESS', Reason: 'nothing to delete', PhysicalResourceId: currentId };
  }
  const hash = propertiesHash(event.ResourceProperties);
  const entries = event.RequestType === 'Update' ? verifiedEntries(event.PhysicalResourceId) : [];
  const held = entries.find((e) => e.hash === hash);
  if (held) {
    // The current entry: the rollback of a failed update of this resource, or an update that
    // changes nothing checked. The previous entry: the rollback of this resource's passed update
    // after another resource failed (OldResourceProperties are then the current entry's).
    env.log(`properties ${hash} were verified for ${held.digest} before (a rollback, or an update back to them): not checked again`);
    return {
      ...base,
      Status: 'SUCCESS',
      Reason: `already verified: ${held.digest}`,
      PhysicalResourceId: currentId,
      Data: digestData(held.digest),
    };
  }
  // The entry of the properties this update replaces, carried into the new id so that
  // CloudFormation's rollback to them is answered without a check. After a rollback answered from
  // the previous entry, the deployed properties are that entry, not the id's first one.
  const oldHash = event.OldResourceProperties ? propertiesHash(event.OldResourceProperties) : undefined;
  const replaced = entries.find((e) => e.hash === oldHash) ?? entries[0];
  let request: CheckRequest;
  try {
    request = parseRequest(event.ResourceProperties);
  } catch (e) {
    return { ...base, Status: 'FAILED', Reason: `invalid properties: ${(e as Error).message}`, PhysicalResourceId: currentId };
  }
  const outcome = await runCheck(request, env);
  // The full report always goes to the function's log group.
  env.log(JSON.stringify({
    verdict: outcome.passed ? 'PASS' : 'FAIL',
    reason: outcome.reason,
    digest: outcome.digest,
    tagMovedTo: outcome.tagMovedTo,
    blocking: outcome.blocking.map(describeFinding),
  }));
  if (outcome.passed && outcome.digest) {
    const data: Record<string, string> = digestData(outcome.digest);
    if (outcome.tagMovedTo) {
      data.TagMovedTo = outcome.tagMovedTo;
    }
    return {
      ...base,
      Status: 'SUCCESS',
      Reason: outcome.reason,
      PhysicalResourceId: physicalIdOf({ hash, digest: outcome.digest }, replaced),
      Data: data,
    };
  }
  let published = false;
  try {
    published = await publishReport(request, outcome, env);
  } catch (e) {
    env.log(`could not publish the report to ${request.policy.topicArn}: ${(e as Error).name}: ${(e as Error).message}`);
  }
  const where = [env.logGroupName ? `CloudWatch Logs group ${env.logGroupName}` : 'the function\'s CloudWatch Logs',
    published ? `SNS topic ${request.policy.topicArn}` : undefined].filter(Boolean).join(' and ');
  const response = { ...base, Status: 'FAILED' as const, Reason: '', PhysicalResourceId: currentId };
  return { ...response, Reason: fitReason(response, `VerifiedImage: ${outcome.reason}`, ` [full list: ${where}]`) };
}

/**
 * The longest reason that keeps the JSON body within 4,096 bytes, always ending with `suffix`
 * (which says where the full list is): `full` when it fits, else cut at a finding boundary where
 * possible and marked as cut.
 */
export function fitReason(response: CustomResourceResponse, full: string, suffix: string): string {
  const size = (reason: string) => Buffer.byteLength(JSON.stringify({ ...response, Reason: reason }), 'utf8');
  if (size(full + suffix) <= MAX_RESPONSE_BYTES) {
    return full + suffix;
  }
  const marker = ' ... (truncated)';
  let lo = 0;
  let hi = full.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (size(full.slice(0, mid) + marker + suffix) <= MAX_RESPONSE_BYTES) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  let cut = full.slice(0, lo);
  const boundary = cut.lastIndexOf('; ');
  if (boundary > cut.length / 2) {
    cut = cut.slice(0, boundary);
  }
  return cut + marker + suffix;
}

/** PUTs the response to CloudFormation's presigned URL. */
function send(url: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body, 'utf8') },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('timed out answering CloudFormation')));
    req.end(body);
  });
}

/**
 * Timeouts of every ECR and SNS request: without them a call that never answers holds the
 * invocation until Lambda stops it, and CloudFormation gets no answer. A request that times out
 * rejects with a TimeoutError, which the check reports as its reason (the SDK retries it first:
 * 3 attempts by default). The SDK v3 clients accept these NodeHttpHandler options as
 * `requestHandler`. Since @smithy/node-http-handler 4.4 an exceeded `requestTimeout` only logs a
 * warning unless `throwOnRequestTimeout` is set (NodeHttpHandlerOptions in @smithy/types).
 * https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-smithy-node-http-handler
 */
export const SDK_HTTP_OPTIONS = { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true } as const;

/** The configuration of the handler's SDK clients. */
export function clientConfig(region?: string): { region?: string; requestHandler: typeof SDK_HTTP_OPTIONS } {
  return { ...(region ? { region } : {}), requestHandler: SDK_HTTP_OPTIONS };
}

/**
 * Time kept to answer CloudFormation when the decision is not made in time (retried calls that
 * keep timing out): the invocation answers FAILED this long before Lambda would stop it.
 */
export const ANSWER_RESERVE_MS = 10_000;

/** One client per Region, kept across invocations. */
const ecrClients = new Map<string, ECRClient>();
let sns: SNSClient | undefined;

function ecrFor(region: string | undefined): ECRClient {
  const key = region ?? '';
  let client = ecrClients.get(key);
  if (!client) {
    client = new ECRClient(clientConfig(region));
    ecrClients.set(key, client);
  }
  return client;
}

/** The decision, or a FAILED answer once only `ANSWER_RESERVE_MS` of the invocation is left. */
async function decideInTime(event: CustomResourceEvent, env: CheckEnvironment, remainingMs: number)
  : Promise<CustomResourceResponse> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CustomResourceResponse>((resolve) => {
    timer = setTimeout(() => resolve({
      Status: 'FAILED',
      Reason: 'VerifiedImage: no decision before the function\'s timeout (an AWS call did not answer in time); ' +
        'nothing was verified: deploy again to retry',
      PhysicalResourceId: event.PhysicalResourceId ?? `verified-image:failed:${event.RequestId}`,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    }), Math.max(0, remainingMs - ANSWER_RESERVE_MS));
  });
  try {
    return await Promise.race([handleEvent(event, env), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The Lambda entry point. */
export async function handler(event: CustomResourceEvent, context: { logGroupName?: string; getRemainingTimeInMillis(): number }) {
  sns ??= new SNSClient(clientConfig());
  const region = event.ResourceProperties?.Region ? String(event.ResourceProperties.Region) : undefined;
  const env: CheckEnvironment = {
    ecr: ecrFor(region),
    sns,
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    remainingMs: () => context.getRemainingTimeInMillis(),
    logGroupName: context.logGroupName,
    log: (m) => console.log(m),
  };
  let response: CustomResourceResponse;
  try {
    response = await decideInTime(event, env, context.getRemainingTimeInMillis());
  } catch (e) {
    response = {
      Status: 'FAILED',
      Reason: `VerifiedImage handler error: ${(e as Error).message}`.slice(0, 1000),
      PhysicalResourceId: event.PhysicalResourceId ?? `verified-image:failed:${event.RequestId}`,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    };
  }
  console.log(JSON.stringify({ status: response.Status, physicalResourceId: response.PhysicalResourceId }));
  await send(event.ResponseURL, JSON.stringify(response));
}
