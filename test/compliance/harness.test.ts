import { Validations, aws_s3 as s3, aws_ecr as ecr } from 'aws-cdk-lib';
import { compliantApp, synthCompliant } from './harness';
import { stackIn } from '../helpers';

describe('compliance harness', () => {
  test('fails on an unacknowledged cdk-nag finding', () => {
    // GIVEN a bucket with no access logs, no TLS enforcement
    const app = compliantApp();
    const stack = stackIn(app, 'Stack');
    new s3.Bucket(stack, 'Bucket');

    // THEN
    expect(() => synthCompliant(app)).toThrow(/\[AwsSolutions\] AwsSolutions-S1 .*Stack\/Bucket\/Resource/);
  });

  test('fails on a CloudFormation schema finding', () => {
    // GIVEN an L1 with a value outside the schema's enum
    const app = compliantApp();
    const stack = stackIn(app, 'Stack');
    new ecr.CfnPullTimeUpdateExclusion(stack, 'Exclusion', { principalArn: 'not-an-arn' });

    // THEN
    expect(() => synthCompliant(app)).toThrow(/\[CloudFormation Validate\] .*PrincipalArn/);
  });

  test('fails on an acknowledgment without a specific reason', () => {
    const app = compliantApp();
    const stack = stackIn(app, 'Stack');
    const bucket = new s3.Bucket(stack, 'Bucket');
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions::AwsSolutions-S1', reason: 'n/a' });

    expect(() => synthCompliant(app)).toThrow(/VagueAcknowledgmentReason: the acknowledgment of AwsSolutions::AwsSolutions-S1 at Stack\/Bucket has no specific reason \('n\/a'\)/);
  });

  test('passes a compliant stack and lists the packs that ran', () => {
    const app = compliantApp();
    const stack = stackIn(app, 'Stack');
    new ecr.CfnPullTimeUpdateExclusion(stack, 'Exclusion', { principalArn: 'arn:aws:iam::111111111111:role/scanner' });

    const result = synthCompliant(app);

    expect(result.packs.map((p) => p.name)).toEqual(expect.arrayContaining([
      'AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321', 'EcrSupplyChain', 'cdk-validator-cfnguard',
    ]));
    expect(result.packs.every((p) => p.findings === 0)).toBe(true);
  });
});
