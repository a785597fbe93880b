/*
 * The decision table of VerifiedImage's deploy-time check, against mocked ECR and SNS clients,
 * a fake clock and sleeps that only advance it.
 */
import {
  BatchGetImageCommand, DescribeImageScanFindingsCommand, DescribeImageSigningStatusCommand, DescribeImagesCommand,
  ECRClient,
} from '@aws-sdk/client-ecr';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { CheckEnvironment, CheckPolicy, evaluate, profileMatches } from '../../src/verified-image/handler/check';
import {
  CustomResourceEvent, MAX_RESPONSE_BYTES, fitReason, handleEvent, propertiesHash,
} from '../../src/verified-image/handler/index';

const ecrMock = mockClient(ECRClient);
const snsMock = mockClient(SNSClient);

const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;
const PROFILE = 'arn:aws:signer:us-east-1:111111111111:/signing-profiles/RegistryProfile';
const TOPIC = 'arn:aws:sns:us-east-1:333333333333:findings';
const NOW = Date.parse('2026-06-15T12:00:00Z');

const basePolicy: CheckPolicy = {
  blockOn: 'HIGH', allowlist: [], fixableOnly: false, signingProfileArns: [], timeoutSeconds: 120, pollSeconds: 15,
};

function props(policy: Partial<CheckPolicy> = {}, extra: Record<string, string> = {}): Record<string, any> {
  return {
    ServiceToken: 'arn:aws:lambda:us-east-1:333333333333:function:check',
    RepositoryName: 'prod/orders',
    RegistryId: '111111111111',
    ImageTag: 'v1',
    PullThroughCache: 'false',
    Policy: JSON.stringify({ ...basePolicy, ...policy }),
    ...extra,
  };
}

function event(type: 'Create' | 'Update' | 'Delete', resourceProperties: Record<string, any>,
  more: Partial<CustomResourceEvent> = {}): CustomResourceEvent {
  return {
    RequestType: type,
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x',
    StackId: 'arn:aws:cloudformation:us-east-1:333333333333:stack/WorkloadStack/1',
    RequestId: 'req-1',
    LogicalResourceId: 'OrdersImage',
    ResourceProperties: resourceProperties,
    ...more,
  };
}

/** A clock that only sleeps move; `remaining` is what the invocation has left. */
function fakeEnv(remainingMs = 15 * 60_000) {
  let now = NOW;
  const started = now;
  const logs: string[] = [];
  const env: CheckEnvironment = {
    ecr: new ECRClient({ region: 'us-east-1' }),
    sns: new SNSClient({ region: 'us-east-1' }),
    now: () => now,
    sleep: async (ms) => { now += ms; },
    remainingMs: () => remainingMs - (now - started),
    logGroupName: '/aws/lambda/check',
    log: (m) => logs.push(m),
  };
  return { env, logs, elapsed: () => now - started };
}

const imageFound = (digest = DIGEST): any => ({ imageDetails: [{ imageDigest: digest }] });
const scan = (status: string, findings: any = {}): any => ({ imageScanStatus: { status }, imageScanFindings: findings });
const enhanced = (id: string, severity: string, fix = 'YES', pkg = 'openssl') => ({
  severity,
  fixAvailable: fix,
  status: 'ACTIVE',
  packageVulnerabilityDetails: {
    vulnerabilityId: id,
    vulnerablePackages: [{ name: pkg, version: '3.0.1', fixedInVersion: fix === 'NO' ? 'NotAvailable' : '3.0.9' }],
  },
});
const basic = (id: string, severity: string) => ({
  name: id, severity, attributes: [{ key: 'package_name', value: 'zlib' }, { key: 'package_version', value: '1.2' }],
});

beforeEach(() => {
  ecrMock.reset();
  snsMock.reset();
  ecrMock.on(DescribeImagesCommand).resolves(imageFound());
});

describe('create: the check decides', () => {
  test('scan pending, then complete and clean: succeeds with the digest after waiting', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand)
      .resolvesOnce(scan('IN_PROGRESS'))
      .resolvesOnce(scan('PENDING'))
      .resolves(scan('COMPLETE', { findings: [basic('CVE-2020-1', 'LOW')] }));
    const { env, elapsed } = fakeEnv();
    const res = await handleEvent(event('Create', props()), env);
    expect(res.Status).toBe('SUCCESS');
    expect(res.Data).toEqual({ ImageDigest: DIGEST, ImageDigestHex: 'a'.repeat(64) });
    expect(res.PhysicalResourceId).toBe(`verified-image:${propertiesHash(props())}:${DIGEST}`);
    expect(elapsed()).toBe(30_000);
    // Findings were read by digest, never by tag.
    for (const call of ecrMock.commandCalls(DescribeImageScanFindingsCommand)) {
      expect(call.args[0].input.imageId).toEqual({ imageDigest: DIGEST });
    }
  });

  test('no scan yet (ScanNotFoundException) counts as pending', async () => {
    const notFound = Object.assign(new Error('no scan'), { name: 'ScanNotFoundException' });
    ecrMock.on(DescribeImageScanFindingsCommand).rejectsOnce(notFound).resolves(scan('COMPLETE'));
    const res = await handleEvent(event('Create', props()), fakeEnv().env);
    expect(res.Status).toBe('SUCCESS');
  });

  test('complete with a blocking finding: refused, listing id, severity, package and fix version', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('ACTIVE', {
      enhancedFindings: [enhanced('CVE-2024-0001', 'CRITICAL'), enhanced('CVE-2024-0002', 'MEDIUM')],
    }));
    const res = await handleEvent(event('Create', props()), fakeEnv().env);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toContain('1 blocking finding(s) at or above HIGH');
    expect(res.Reason).toContain('CVE-2024-0001 CRITICAL openssl 3.0.1 (fixed in 3.0.9)');
    expect(res.Reason).not.toContain('CVE-2024-0002');
    expect(res.Reason).toContain('[full list: CloudWatch Logs group /aws/lambda/check]');
    // A failed create keeps a physical id CloudFormation can delete.
    expect(res.PhysicalResourceId).toBe('verified-image:failed:req-1');
  });

  test('severity threshold: MEDIUM blocks a MEDIUM finding that HIGH lets through', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('COMPLETE', { findings: [basic('CVE-2020-2', 'MEDIUM')] }));
    expect((await handleEvent(event('Create', props({ blockOn: 'HIGH' })), fakeEnv().env)).Status).toBe('SUCCESS');
    expect((await handleEvent(event('Create', props({ blockOn: 'MEDIUM' })), fakeEnv().env)).Status).toBe('FAILED');
  });

  test('allowlisted finding passes before its expiry date and on it, not after', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('ACTIVE', { enhancedFindings: [enhanced('CVE-2024-0001', 'HIGH')] }));
    const allow = (expiresOn: string) => props({ allowlist: [{ id: 'cve-2024-0001', reason: 'not reachable here', expiresOn }] });
    const before = await handleEvent(event('Create', allow('2026-07-01')), fakeEnv().env);
    expect(before.Status).toBe('SUCCESS');
    expect(before.Reason).toContain('allowlisted: CVE-2024-0001');
    expect((await handleEvent(event('Create', allow('2026-06-15')), fakeEnv().env)).Status).toBe('SUCCESS');
    const after = await handleEvent(event('Create', allow('2026-06-14')), fakeEnv().env);
    expect(after.Status).toBe('FAILED');
    expect(after.Reason).toContain('expired allowlist entries no longer allow: cve-2024-0001 (expired 2026-06-14)');
  });

  test('fix-available-only: a finding without a fix does not block, one with a fix does', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('ACTIVE', { enhancedFindings: [enhanced('CVE-1', 'CRITICAL', 'NO')] }));
    expect((await handleEvent(event('Create', props({ fixableOnly: true })), fakeEnv().env)).Status).toBe('SUCCESS');
    expect((await handleEvent(event('Create', props({ fixableOnly: false })), fakeEnv().env)).Status).toBe('FAILED');
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('ACTIVE', { enhancedFindings: [enhanced('CVE-1', 'CRITICAL', 'PARTIAL')] }));
    expect((await handleEvent(event('Create', props({ fixableOnly: true })), fakeEnv().env)).Status).toBe('FAILED');
  });

  test('suppressed or closed enhanced findings do not block', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('ACTIVE', {
      enhancedFindings: [{ ...enhanced('CVE-1', 'CRITICAL'), status: 'SUPPRESSED' }, { ...enhanced('CVE-2', 'HIGH'), status: 'CLOSED' }],
    }));
    expect((await handleEvent(event('Create', props()), fakeEnv().env)).Status).toBe('SUCCESS');
  });

  test('findings on a later page are read too', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand, { nextToken: 'p2' })
      .resolves(scan('COMPLETE', { findings: [basic('CVE-2020-9', 'CRITICAL')] }));
    ecrMock.on(DescribeImageScanFindingsCommand, { nextToken: undefined })
      .resolves({ ...scan('COMPLETE', { findings: [basic('CVE-2020-1', 'LOW')] }), nextToken: 'p2' });
    const res = await handleEvent(event('Create', props()), fakeEnv().env);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toContain('CVE-2020-9 CRITICAL zlib 1.2');
  });

  test.each([
    ['UNSUPPORTED_IMAGE', 'does not support this image'],
    ['FAILED', 'the scan failed'],
    ['SCAN_ELIGIBILITY_EXPIRED', 'no longer eligible'],
    ['IMAGE_ARCHIVED', 'archived'],
  ])('scan status %s: refused at once, with the reason', async (status, words) => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan(status));
    const { env, elapsed } = fakeEnv();
    const res = await handleEvent(event('Create', props()), env);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toContain(`scan status ${status}`);
    expect(res.Reason).toContain(words);
    expect(elapsed()).toBe(0);
  });

  test('timeout: refused once the configured wait is over, naming what it waited for', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('IN_PROGRESS'));
    const { env, elapsed } = fakeEnv();
    const res = await handleEvent(event('Create', props({ timeoutSeconds: 60, pollSeconds: 15 })), env);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toMatch(/timed out after 60s waiting for the scan \(IN_PROGRESS\)/);
    expect(elapsed()).toBe(60_000);
  });

  test('timeout: also bounded by what the invocation has left, to answer CloudFormation in time', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('IN_PROGRESS'));
    const { env, elapsed } = fakeEnv(65_000);
    const res = await handleEvent(event('Create', props({ timeoutSeconds: 600 })), env);
    expect(res.Status).toBe('FAILED');
    expect(elapsed()).toBeLessThanOrEqual(45_000);
  });

  test('timeout without any scan says to check the scanning rules', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).rejects(Object.assign(new Error('x'), { name: 'ScanNotFoundException' }));
    const res = await handleEvent(event('Create', props({ timeoutSeconds: 30 })), fakeEnv().env);
    expect(res.Reason).toContain('check that a registry scanning rule covers the repository');
  });

  test('image not found: refused with the tag', async () => {
    ecrMock.on(DescribeImagesCommand).rejects(Object.assign(new Error('gone'), { name: 'ImageNotFoundException' }));
    const res = await handleEvent(event('Create', props()), fakeEnv().env);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toContain('prod/orders:v1 was not found');
  });

  test('by digest: DescribeImages is asked for the digest, and the same digest is returned', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('COMPLETE'));
    const p = props({}, { ImageDigest: DIGEST });
    delete p.ImageTag;
    const res = await handleEvent(event('Create', p), fakeEnv().env);
    expect(res.Data).toEqual({ ImageDigest: DIGEST, ImageDigestHex: 'a'.repeat(64) });
    expect(ecrMock.commandCalls(DescribeImagesCommand)[0].args[0].input.imageIds).toEqual([{ imageDigest: DIGEST }]);
    expect(ecrMock.commandCalls(DescribeImagesCommand)[0].args[0].input.registryId).toBe('111111111111');
  });

  test('tag moved between resolve and check: the checked digest is the one deployed', async () => {
    ecrMock.on(DescribeImagesCommand).resolvesOnce(imageFound(DIGEST)).resolves(imageFound(OTHER_DIGEST));
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('COMPLETE'));
    const { env, logs } = fakeEnv();
    const res = await handleEvent(event('Create', props()), env);
    expect(res.Status).toBe('SUCCESS');
    expect(res.Data).toEqual({ ImageDigest: DIGEST, ImageDigestHex: 'a'.repeat(64), TagMovedTo: OTHER_DIGEST });
    expect(logs.join('\n')).toContain(`now points to ${OTHER_DIGEST}`);
  });

  test('pull-through cache: the tag is pulled through the cache before it is resolved', async () => {
    ecrMock.on(BatchGetImageCommand).resolves({ images: [{ imageId: { imageDigest: DIGEST } }] });
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('COMPLETE'));
    const res = await handleEvent(event('Create', props({}, { PullThroughCache: 'true' })), fakeEnv().env);
    expect(res.Status).toBe('SUCCESS');
    expect(ecrMock.commandCalls(BatchGetImageCommand)).toHaveLength(1);
  });

  test('pull-through cache: an upstream failure is the reason', async () => {
    ecrMock.on(BatchGetImageCommand).resolves({ failures: [{ failureCode: 'UpstreamUnavailable', failureReason: 'upstream down' }] });
    const res = await handleEvent(event('Create', props({}, { PullThroughCache: 'true' })), fakeEnv().env);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toContain('UpstreamUnavailable: upstream down');
  });
});

describe('signature', () => {
  test('required and COMPLETE for the expected profile: succeeds', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('COMPLETE'));
    ecrMock.on(DescribeImageSigningStatusCommand).resolves({ signingStatuses: [{ signingProfileArn: PROFILE, status: 'COMPLETE' }] });
    const res = await handleEvent(event('Create', props({ signingProfileArns: [PROFILE] })), fakeEnv().env);
    expect(res.Status).toBe('SUCCESS');
    expect(res.Reason).toContain('signed');
  });

  test('unsigned while required: refused after the wait', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('COMPLETE'));
    ecrMock.on(DescribeImageSigningStatusCommand).resolves({ signingStatuses: [] });
    const res = await handleEvent(event('Create', props({ signingProfileArns: [PROFILE], timeoutSeconds: 30 })), fakeEnv().env);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toContain(`the signature (${PROFILE} no signature)`);
  });

  test('signed by another profile only: refused', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('COMPLETE'));
    ecrMock.on(DescribeImageSigningStatusCommand).resolves({
      signingStatuses: [{ signingProfileArn: 'arn:aws:signer:us-east-1:999999999999:/signing-profiles/Other', status: 'COMPLETE' }],
    });
    const res = await handleEvent(event('Create', props({ signingProfileArns: [PROFILE], timeoutSeconds: 30 })), fakeEnv().env);
    expect(res.Status).toBe('FAILED');
  });

  test('signing FAILED: refused at once with ECR\'s failure reason', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('COMPLETE'));
    ecrMock.on(DescribeImageSigningStatusCommand).resolves({
      signingStatuses: [{ signingProfileArn: PROFILE, status: 'FAILED', failureCode: 'AccessDenied', failureReason: 'no signer:SignPayload' }],
    });
    const { env, elapsed } = fakeEnv();
    const res = await handleEvent(event('Create', props({ signingProfileArns: [PROFILE] })), env);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toContain('FAILED: AccessDenied no signer:SignPayload');
    expect(elapsed()).toBe(0);
  });

  test('signing IN_PROGRESS, then COMPLETE: waits', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('COMPLETE'));
    ecrMock.on(DescribeImageSigningStatusCommand)
      .resolvesOnce({ signingStatuses: [{ signingProfileArn: PROFILE, status: 'IN_PROGRESS' }] })
      .resolves({ signingStatuses: [{ signingProfileArn: PROFILE, status: 'COMPLETE' }] });
    const { env, elapsed } = fakeEnv();
    expect((await handleEvent(event('Create', props({ signingProfileArns: [PROFILE] })), env)).Status).toBe('SUCCESS');
    expect(elapsed()).toBe(15_000);
  });

  test('a profile of another environment is matched by account and Region', () => {
    const pattern = 'arn:aws:signer:us-east-1:111111111111:/signing-profiles/*';
    expect(profileMatches(pattern, PROFILE)).toBe(true);
    expect(profileMatches(pattern, 'arn:aws:signer:us-west-2:111111111111:/signing-profiles/X')).toBe(false);
    expect(profileMatches(PROFILE, `${PROFILE}2`)).toBe(false);
  });

  test('not required: the signing status is never asked for', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('COMPLETE'));
    await handleEvent(event('Create', props()), fakeEnv().env);
    expect(ecrMock.commandCalls(DescribeImageSigningStatusCommand)).toHaveLength(0);
  });
});

describe('update and delete', () => {
  test('delete always succeeds and calls nothing', async () => {
    const res = await handleEvent(event('Delete', props(), { PhysicalResourceId: 'verified-image:failed:req-0' }), fakeEnv().env);
    expect(res.Status).toBe('SUCCESS');
    expect(res.PhysicalResourceId).toBe('verified-image:failed:req-0');
    expect(ecrMock.calls()).toHaveLength(0);
  });

  test('update to a new tag or policy checks again and gets a new physical id', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('COMPLETE'));
    const old = props();
    const next = props({ blockOn: 'MEDIUM' });
    const res = await handleEvent(event('Update', next, {
      PhysicalResourceId: `verified-image:${propertiesHash(old)}:${DIGEST}`, OldResourceProperties: old,
    }), fakeEnv().env);
    expect(res.Status).toBe('SUCCESS');
    // The new entry first, then the one it replaces (for CloudFormation's rollback to it).
    expect(res.PhysicalResourceId).toBe(`verified-image:${propertiesHash(next)}:${DIGEST}:${propertiesHash(old)}:${DIGEST}`);
    expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand).length).toBeGreaterThan(0);
  });

  test('a failed update keeps the old physical id (so the rollback finds it)', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('COMPLETE', { findings: [basic('CVE-1', 'CRITICAL')] }));
    const old = props();
    const oldId = `verified-image:${propertiesHash(old)}:${DIGEST}`;
    const res = await handleEvent(event('Update', props({}, { ImageTag: 'v2' }), {
      PhysicalResourceId: oldId, OldResourceProperties: old,
    }), fakeEnv().env);
    expect(res.Status).toBe('FAILED');
    expect(res.PhysicalResourceId).toBe(oldId);
  });

  test('rollback to properties verified before: succeeds without checking, even if the image no longer passes', async () => {
    // The old image now has a critical finding, and its tag is gone: neither matters.
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('ACTIVE', { enhancedFindings: [enhanced('CVE-9', 'CRITICAL')] }));
    ecrMock.on(DescribeImagesCommand).rejects(Object.assign(new Error('gone'), { name: 'ImageNotFoundException' }));
    const old = props();
    const oldId = `verified-image:${propertiesHash(old)}:${DIGEST}`;
    const res = await handleEvent(event('Update', old, {
      PhysicalResourceId: oldId, OldResourceProperties: props({}, { ImageTag: 'v2' }),
    }), fakeEnv().env);
    expect(res.Status).toBe('SUCCESS');
    expect(res.PhysicalResourceId).toBe(oldId);
    expect(res.Data).toEqual({ ImageDigest: DIGEST, ImageDigestHex: 'a'.repeat(64) });
    expect(ecrMock.calls()).toHaveLength(0);
  });

  describe('rollback after this resource passed and another resource failed', () => {
    // Deployed: props A, digest DIGEST. The update to B (a new tag, OTHER_DIGEST) passes; another
    // resource fails; CloudFormation sends Update with props A, OldResourceProperties B and the
    // physical id B's check returned (aws/aws-cdk#29581: "UPDATE custom resource (new -> old)").
    const a = props();
    const b = props({}, { ImageTag: 'v2' });
    const idA = `verified-image:${propertiesHash(a)}:${DIGEST}`;

    async function passUpdateToB(): Promise<string> {
      ecrMock.on(DescribeImagesCommand).resolves(imageFound(OTHER_DIGEST));
      ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('COMPLETE'));
      const res = await handleEvent(event('Update', b, { PhysicalResourceId: idA, OldResourceProperties: a }), fakeEnv().env);
      expect(res.Status).toBe('SUCCESS');
      expect(res.Data?.ImageDigest).toBe(OTHER_DIGEST);
      ecrMock.reset();
      return res.PhysicalResourceId;
    }

    test('the rollback A <- B succeeds without calling ECR and returns the old digest', async () => {
      const idB = await passUpdateToB();
      expect(idB).not.toBe(idA);
      // The old image no longer passes and its tag is gone: neither matters to a rollback.
      ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('ACTIVE', { enhancedFindings: [enhanced('CVE-9', 'CRITICAL')] }));
      ecrMock.on(DescribeImagesCommand).rejects(Object.assign(new Error('gone'), { name: 'ImageNotFoundException' }));
      const res = await handleEvent(event('Update', a, { PhysicalResourceId: idB, OldResourceProperties: b }), fakeEnv().env);
      expect(res.Status).toBe('SUCCESS');
      expect(res.PhysicalResourceId).toBe(idB);
      expect(res.Data).toEqual({ ImageDigest: DIGEST, ImageDigestHex: 'a'.repeat(64) });
      expect(ecrMock.calls()).toHaveLength(0);
    });

    test('the physical id stays compact: two short hashes and two digests, far below 1 KB', async () => {
      const idB = await passUpdateToB();
      expect(idB).toMatch(/^verified-image:[0-9a-f]{16}:sha256:[0-9a-f]{64}:[0-9a-f]{16}:sha256:[0-9a-f]{64}$/);
      expect(Buffer.byteLength(idB, 'utf8')).toBeLessThan(256);
    });

    test('a genuine new update to other properties still runs the check (and can fail)', async () => {
      const idB = await passUpdateToB();
      ecrMock.on(DescribeImagesCommand).resolves(imageFound());
      ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('COMPLETE', { findings: [basic('CVE-1', 'CRITICAL')] }));
      const c = props({}, { ImageTag: 'v3' });
      const res = await handleEvent(event('Update', c, { PhysicalResourceId: idB, OldResourceProperties: b }), fakeEnv().env);
      expect(res.Status).toBe('FAILED');
      expect(res.PhysicalResourceId).toBe(idB);
      expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand).length).toBeGreaterThan(0);
    });

    test('a passed update after the rollback carries the deployed (rolled-back) entry, not the abandoned one', async () => {
      const idB = await passUpdateToB();
      // Rolled back to A (the id stays idB); then an update A -> C passes.
      ecrMock.on(DescribeImagesCommand).resolves(imageFound(OTHER_DIGEST));
      ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('COMPLETE'));
      const c = props({}, { ImageTag: 'v3' });
      const res = await handleEvent(event('Update', c, { PhysicalResourceId: idB, OldResourceProperties: a }), fakeEnv().env);
      expect(res.Status).toBe('SUCCESS');
      expect(res.PhysicalResourceId).toBe(`verified-image:${propertiesHash(c)}:${OTHER_DIGEST}:${propertiesHash(a)}:${DIGEST}`);
      ecrMock.reset();
      // ... so its own rollback to A is answered with A's digest, without ECR.
      const back = await handleEvent(event('Update', a, { PhysicalResourceId: res.PhysicalResourceId, OldResourceProperties: c }),
        fakeEnv().env);
      expect(back.Status).toBe('SUCCESS');
      expect(back.Data?.ImageDigest).toBe(DIGEST);
      expect(ecrMock.calls()).toHaveLength(0);
    });

    test('delete of either physical id still succeeds without calling ECR', async () => {
      const idB = await passUpdateToB();
      for (const id of [idA, idB]) {
        const res = await handleEvent(event('Delete', a, { PhysicalResourceId: id }), fakeEnv().env);
        expect(res.Status).toBe('SUCCESS');
        expect(res.PhysicalResourceId).toBe(id);
      }
      expect(ecrMock.calls()).toHaveLength(0);
    });
  });

  test('the service token is not part of what was verified', () => {
    expect(propertiesHash({ ...props(), ServiceToken: 'other' })).toBe(propertiesHash(props()));
    expect(propertiesHash(props({ blockOn: 'LOW' }))).not.toBe(propertiesHash(props()));
  });
});

describe('the answer to CloudFormation', () => {
  test('many findings: the reason is cut to fit 4,096 bytes and says where the full list went', async () => {
    const findings = Array.from({ length: 400 }, (_, i) => enhanced(`CVE-2024-${String(i).padStart(5, '0')}`, 'CRITICAL', 'YES', `package-${i}`));
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('ACTIVE', { enhancedFindings: findings }));
    snsMock.on(PublishCommand).resolves({ MessageId: 'm' });
    const res = await handleEvent(event('Create', props({ topicArn: TOPIC })), fakeEnv().env);
    expect(Buffer.byteLength(JSON.stringify(res), 'utf8')).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(res.Reason).toContain('... (truncated)');
    expect(res.Reason).toContain(`and SNS topic ${TOPIC}`);
    const published = snsMock.commandCalls(PublishCommand)[0].args[0].input;
    expect(published.TopicArn).toBe(TOPIC);
    expect(published.Message).toContain('CVE-2024-00399 CRITICAL package-399');
  });

  test('a topic that cannot be reached does not hide the refusal', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(scan('ACTIVE', { enhancedFindings: [enhanced('CVE-1', 'HIGH')] }));
    snsMock.on(PublishCommand).rejects(new Error('AccessDenied'));
    const res = await handleEvent(event('Create', props({ topicArn: TOPIC })), fakeEnv().env);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).not.toContain('SNS topic');
  });

  test('fitReason leaves a short reason alone and keeps multibyte text within the limit', () => {
    const base = { Status: 'FAILED' as const, Reason: '', PhysicalResourceId: 'p', StackId: 's', RequestId: 'r', LogicalResourceId: 'l' };
    expect(fitReason(base, 'short', ' [x]')).toBe('short [x]');
    const long = 'é'.repeat(5000);
    const cut = fitReason(base, long, ' [x]');
    expect(Buffer.byteLength(JSON.stringify({ ...base, Reason: cut }), 'utf8')).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(cut.endsWith(' [x]')).toBe(true);
  });

  test('evaluate ranks blocking findings by severity', () => {
    const out = evaluate([
      { id: 'B', severity: 'HIGH' }, { id: 'A', severity: 'CRITICAL' }, { id: 'C', severity: 'UNDEFINED' },
    ], basePolicy, NOW);
    expect(out.blocking.map((f) => f.id)).toEqual(['A', 'B']);
  });
});
