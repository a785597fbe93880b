import { App, Stack, Validations, aws_ecr as ecr, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { ComplianceProfile } from '../../src/compliance';
import { SecureRegistryErrors } from '../../src/errors';
import { ENV } from '../helpers';

const NAG_PACKS = ['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321', 'EcrSupplyChain'];
const SCHEMA_CONTEXT = '@aws-cdk/core:validateAgainstDefaultRules';

/** A key with rotation but without the CT.KMS.PR.3 statement: clean for cdk-nag, a Control Tower finding. */
function keyWithoutGrantLimit(app: App): kms.Key {
  return new kms.Key(new Stack(app, 'Stack', { env: ENV }), 'Key', { enableKeyRotation: true });
}

describe('ComplianceProfile', () => {
  test('registers the five cdk-nag packs and EcrSupplyChainChecks, and makes schema findings errors', () => {
    const app = new App();
    const profile = ComplianceProfile.apply(app);
    expect(profile.packNames).toEqual(NAG_PACKS);
    expect(app.node.tryGetContext(SCHEMA_CONTEXT)).toBe(true);
    expect(ComplianceProfile.of(app)).toBe(profile);
  });

  test('controlTower adds the cfn-guard Control Tower rules', () => {
    const profile = ComplianceProfile.apply(new App(), { controlTower: true });
    expect(profile.packNames).toEqual([...NAG_PACKS, 'cdk-validator-cfnguard']);
  });

  test('a Control Tower finding fails synth, with the rule, the path and the fix', () => {
    const app = new App();
    ComplianceProfile.apply(app, { controlTower: true });
    keyWithoutGrantLimit(app);
    expect(() => ComplianceProfile.of(app)!.synth()).toThrow(
      /ComplianceFindings: 1 compliance finding\(s\):\n {2}\[cdk-validator-cfnguard\] kms_create_grant_aws_service_check \(error\) at Stack\/Key\/Resource: \[CT\.KMS\.PR\.3\].*\nFix the resources, or acknowledge/);
  });

  test('without controlTower the same app passes: the Control Tower rules only run when asked', () => {
    const app = new App();
    const profile = ComplianceProfile.apply(app);
    keyWithoutGrantLimit(app);
    expect(profile.synth().packs.every((p) => p.findings === 0)).toBe(true);
  });

  test('a Control Tower finding is acknowledged as cdk-validator-cfnguard::<rule>, and the reason reaches the template', () => {
    const app = new App();
    const profile = ComplianceProfile.apply(app, { controlTower: true });
    const key = keyWithoutGrantLimit(app);
    Validations.of(key).acknowledge({
      id: 'cdk-validator-cfnguard::kms_create_grant_aws_service_check',
      reason: 'test: this key issues grants to an on-premises HSM client, which Control Tower would refuse',
    });
    const report = profile.synth();
    const template = report.assembly.getStackByName('Stack').template;
    const metadata = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::KMS::Key').Metadata;
    expect(metadata.cdk_nag.rules_to_suppress).toContainEqual(expect.objectContaining({
      id: 'cdk-validator-cfnguard::kms_create_grant_aws_service_check',
    }));
    expect(report.acknowledgments).toEqual([expect.objectContaining({ path: 'Stack/Key' })]);
  });

  test('disabledControlTowerRules leaves a rule out', () => {
    const app = new App();
    const profile = ComplianceProfile.apply(app, { controlTower: true, disabledControlTowerRules: ['ct-kms-pr-3'] });
    keyWithoutGrantLimit(app);
    expect(() => profile.synth()).not.toThrow();
  });

  test('a cdk-nag finding fails synth', () => {
    const app = new App();
    const profile = ComplianceProfile.apply(app);
    new s3.Bucket(new Stack(app, 'Stack', { env: ENV }), 'Bucket');
    expect(() => profile.synth()).toThrow(/\[AwsSolutions\] AwsSolutions-S1 .*Stack\/Bucket\/Resource/);
  });

  test('an acknowledgment without a specific reason fails synth, naming the rule, the path and the fix', () => {
    const app = new App();
    const profile = ComplianceProfile.apply(app);
    const bucket = new s3.Bucket(new Stack(app, 'Stack', { env: ENV }), 'Bucket');
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions::AwsSolutions-S1', reason: 'n/a' });
    expect(() => profile.synth()).toThrow(
      /VagueAcknowledgmentReason: the acknowledgment of AwsSolutions::AwsSolutions-S1 at Stack\/Bucket has no specific reason \('n\/a'\): say why/);
  });

  test('minimumReasonLength sets the shortest reason accepted', () => {
    const app = new App();
    const profile = ComplianceProfile.apply(app, { minimumReasonLength: 200 });
    const stack = new Stack(app, 'Stack', { env: ENV });
    Validations.of(stack).acknowledge({ id: 'AwsSolutions::AwsSolutions-S1', reason: 'a reason of fewer than two hundred characters' });
    expect(() => profile.synth()).toThrow(/VagueAcknowledgmentReason: .*at least 200 characters/);
  });

  test('the report lists every pack, the acknowledgments and a printable summary', () => {
    const app = new App();
    const profile = ComplianceProfile.apply(app, { controlTower: true });
    new ecr.CfnPullTimeUpdateExclusion(new Stack(app, 'Small', { env: ENV }), 'Exclusion', { principalArn: 'arn:aws:iam::111111111111:role/scanner' });
    const report = profile.synth();
    expect(report.packs).toEqual([...NAG_PACKS, 'cdk-validator-cfnguard'].map((name) => ({ name, findings: 0 })));
    expect(report.summary).toMatch(/^Synthesized 1 stack\(s\) into .*\n {2}Small +111111111111\/us-east-1 {2}1 resources\nCompliance:\n/);
    expect(report.summary).toContain('  CloudFormation Validate    pass');
    expect(report.summary).toContain('  Control Tower (cfn-guard)  pass (0 findings)');
    expect(report.summary).toContain('  acknowledged findings:   0');
  });

  describe('refuses', () => {
    test('a second profile on the same app', () => {
      const app = new App();
      ComplianceProfile.apply(app);
      expect(() => ComplianceProfile.apply(app)).toThrow(/\[<root>\] ComplianceProfileAlreadyApplied: .*ComplianceProfile.of\(app\)/);
    });

    test('an app that already has children, unless the schema context is set or not asked for', () => {
      const late = new App();
      new Stack(late, 'Stack');
      expect(() => ComplianceProfile.apply(late)).toThrow(
        /ComplianceProfileAppliedLate: the app already has children \(Stack\).*apply the profile right after new App\(\)/);
      expect(() => ComplianceProfile.apply(late, { schemaFindingsAsErrors: false })).not.toThrow();

      const configured = new App({ context: { [SCHEMA_CONTEXT]: true } });
      new Stack(configured, 'Stack');
      expect(() => ComplianceProfile.apply(configured)).not.toThrow();
    });

    test('disabledControlTowerRules without controlTower, and a minimum reason length that is not positive', () => {
      let error: unknown;
      try {
        ComplianceProfile.apply(new App(), { disabledControlTowerRules: ['ct-kms-pr-3'], minimumReasonLength: 0 });
      } catch (e) {
        error = e;
      }
      expect(SecureRegistryErrors.codesOf(error)).toEqual(['InvalidMinimumReasonLength', 'ControlTowerRulesNotEnabled']);
    });

    test('controlTower when @cdklabs/cdk-validator-cfnguard is not installed, saying how to install it', () => {
      jest.doMock('@cdklabs/cdk-validator-cfnguard', () => {
        throw Object.assign(new Error("Cannot find module '@cdklabs/cdk-validator-cfnguard'"), { code: 'MODULE_NOT_FOUND' });
      });
      try {
        expect(() => ComplianceProfile.apply(new App(), { controlTower: true })).toThrow(
          /ControlTowerValidatorNotInstalled: controlTower needs the npm package @cdklabs\/cdk-validator-cfnguard .*npm install --save-dev @cdklabs\/cdk-validator-cfnguard/);
      } finally {
        jest.dontMock('@cdklabs/cdk-validator-cfnguard');
      }
    });

    test('controlTower on a platform cfn-guard has no binary for', () => {
      const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
      Object.defineProperty(process, 'platform', { value: 'win32' });
      try {
        expect(() => ComplianceProfile.apply(new App(), { controlTower: true })).toThrow(
          /ControlTowerRulesUnsupportedPlatform: .*Linux and macOS only, not for 'win32'/);
      } finally {
        Object.defineProperty(process, 'platform', platform);
      }
    });
  });
});
