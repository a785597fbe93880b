/**
 * Snippets of docs/verified-image.md: each `// #region <name>` is shown there word for word
 * (test/examples/docs-snippets.test.ts), and every function is synthesized by the same test.
 */
import { Duration, Stack, aws_ecs as ecs, aws_lambda as lambda, aws_sns as sns } from 'aws-cdk-lib';
import { FindingSeverity, ScanType, SecureRegistry, SecureRepository, VerifiedImage, VerifiedImageSource } from '../../src';

/** A tag in a repository of the registry, with the whole policy spelled out. */
export function verifiedByTag(stack: Stack): void {
  const registry = new SecureRegistry(stack, 'Registry', {
    scanType: ScanType.ENHANCED,
    signingRules: [{ repositoryFilters: ['prod/*'] }],
  });
  const orders = registry.addRepository('Orders', { repositoryName: 'prod/orders' });
  const findingsTopic = new sns.Topic(stack, 'Findings', { enforceSSL: true });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
  // #region verified-image-tag
  const image = new VerifiedImage(stack, 'OrdersImage', {
    repository: orders,
    source: VerifiedImageSource.fromTag('v1.4.2'), // resolved to a digest; everything after uses the digest
    blockOnSeverity: FindingSeverity.HIGH, // default: CRITICAL and HIGH block
    blockOnlyFixable: false, // default: a finding without a fix blocks too
    allowedFindings: [{
      id: 'CVE-2024-12345',
      reason: 'libfoo is linked but the vulnerable parser is never called (SEC-1234)',
      expiresOn: '2026-12-31', // from 2027-01-01 on, the finding blocks again
    }],
    // requireSignature: default true here, because the registry signs prod/*
    timeout: Duration.minutes(10), // wait for the scan (and signature); at most 14 minutes
    findingsTopic, // the full list of a refusal; the CloudFormation event holds 4,096 bytes
  });
  taskDefinition.addContainer('orders', {
    image: image.containerImage(), // .../prod/orders@sha256:<the digest that passed>
    memoryLimitMiB: 512,
  });
  // #endregion
}

/** A Lambda function from a verified image, and an image reached through the pull-through cache. */
export function verifiedForLambda(stack: Stack): void {
  new SecureRegistry(stack, 'Registry');
  const repository = SecureRepository.fromRepositoryName(stack, 'Tools', 'tools/report');
  const cached = SecureRepository.fromRepositoryName(stack, 'Nginx', 'ecr-public/nginx/nginx');
  // #region verified-image-lambda
  const report = new VerifiedImage(stack, 'ReportImage', {
    repository,
    source: VerifiedImageSource.fromDigest('sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9'),
  });
  new lambda.DockerImageFunction(stack, 'Report', { code: report.dockerImageCode() });

  // Through the pull-through cache: the check pulls the tag through the cache rule first.
  new VerifiedImage(stack, 'NginxImage', {
    repository: cached, // <ecrRepositoryPrefix>/<upstream repository>
    source: VerifiedImageSource.fromPullThroughCache('1.27'),
  });
  // #endregion
}

export const SNIPPETS: Record<string, (stack: Stack) => void> = { verifiedByTag, verifiedForLambda };
