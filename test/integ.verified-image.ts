/**
 * Integration test: VerifiedImage against the real ECR APIs, with no Docker: the image comes from
 * ECR Public through a pull-through cache rule, so the check imports it, waits for its scan (on
 * push: the import counts as one), applies the policy and returns the digest; the assertion then
 * reads the digest back from ECR.
 *
 * Offline only the committed snapshot is verified (test/integ-snapshots.test.ts). With
 * credentials, `npx projen integ --force` deploys, asserts and destroys (see docs/testing.md).
 * It changes REGISTRY-WIDE settings of the account and Region (scanning, the cache rule): use a
 * sandbox account, and not together with integ.secure-registry.ts (one registry per account and
 * Region).
 *
 * What it proves live (not provable offline): that BatchGetImage through a cache rule imports the
 * image; that the scan of a cached image reaches COMPLETE/ACTIVE and the handler reads its
 * findings; the check role's three read actions suffice; the answer reaches CloudFormation.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { disposableBaseline, integEnv } from './integ-helpers';
import { FindingSeverity } from '../src/registry/finding-alerts';
import { ScanType } from '../src/registry/scanning';
import { SecureRegistry } from '../src/registry/secure-registry';
import { UpstreamRegistry } from '../src/registry/upstream-registry';
import { SecureRepository } from '../src/repository/secure-repository';
import { VerifiedImage, VerifiedImageSource } from '../src/verified-image/verified-image';

const app = new App();
const env = integEnv();
const stack = new Stack(app, 'VerifiedImageIntegStack', { env });

const registry = new SecureRegistry(stack, 'Registry', {
  baseline: disposableBaseline(stack),
  scanType: ScanType.ENHANCED,
});
registry.addPullThroughCache(UpstreamRegistry.ecrPublic(), { ecrRepositoryPrefix: 'integ-verified' });

// public.ecr.aws/docker/library/alpine, cached as integ-verified/docker/library/alpine.
const REPOSITORY = 'integ-verified/docker/library/alpine';
const alpine = SecureRepository.fromRepositoryName(stack, 'Alpine', REPOSITORY);
const image = new VerifiedImage(stack, 'AlpineImage', {
  repository: alpine,
  source: VerifiedImageSource.fromPullThroughCache('3.20'),
  // A public base image may carry findings that have no fix yet; the gate is on fixable
  // CRITICAL ones (the decision table covers the stricter policies offline).
  blockOnSeverity: FindingSeverity.CRITICAL,
  blockOnlyFixable: true,
  timeout: Duration.minutes(14),
});
// The cache rule and its creation template exist before the check pulls through them.
image.node.addDependency(registry);

const integ = new IntegTest(app, 'VerifiedImage', {
  testCases: [stack],
  regions: [env.region],
});

// The assertion stack has no explicit environment, so it cannot reference the check's digest:
// it asks by tag. The deploy itself succeeding is the check's verdict.
// The check pulled the tag through the cache: the image is in the cache repository.
integ.assertions.awsApiCall('ECR', 'describeImages', {
  repositoryName: REPOSITORY,
  imageIds: [{ imageTag: '3.20' }],
}).expect(ExpectedResult.objectLike({
  imageDetails: [ExpectedResult.objectLike({ repositoryName: REPOSITORY })],
}));

// Its scan finished (what the check waited for).
integ.assertions.awsApiCall('ECR', 'describeImageScanFindings', {
  repositoryName: REPOSITORY,
  imageId: { imageTag: '3.20' },
}).expect(ExpectedResult.objectLike({
  imageScanStatus: ExpectedResult.objectLike({ status: ExpectedResult.stringLikeRegexp('COMPLETE|ACTIVE') }),
}));

app.synth();
