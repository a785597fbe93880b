/**
 * Snippets of docs/network.md: each `// #region <name>` is shown there word for word
 * (test/examples/docs-snippets.test.ts), and every function is synthesized by the same test.
 */
import { Stack, aws_ec2 as ec2, aws_iam as iam } from 'aws-cdk-lib';
import { RegistryEndpoints } from '../../src';

function vpcOf(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
    subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

/** Endpoints for private pulls from one registry account. */
export function endpoints(stack: Stack): void {
  const vpc = vpcOf(stack);
  // #region endpoints
  new RegistryEndpoints(stack, 'RegistryEndpoints', {
    vpc,
    registryAccounts: ['111111111111'], // default: this stack's account
  });
  // #endregion
}

/** More S3 access through the gateway endpoint, whose policy is the subnets' whole S3 policy. */
export function endpointsWithS3(stack: Stack): void {
  const vpc = vpcOf(stack);
  // #region endpoints-s3
  new RegistryEndpoints(stack, 'RegistryEndpoints', {
    vpc,
    additionalS3Statements: [new iam.PolicyStatement({
      principals: [new iam.StarPrincipal()],
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::my-config-bucket/*'],
    })],
  });
  // #endregion
}

/** Every snippet of the page, by function name. */
export const SNIPPETS: Record<string, (stack: Stack) => void> = { endpoints, endpointsWithS3 };
