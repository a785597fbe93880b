import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { ComplianceProfile } from '../../src/compliance';

/**
 * Runs examples/first-app/app.ts as the cdk CLI does: context and output directory come from
 * the environment (CDK_CONTEXT_JSON, CDK_OUTDIR), the app is loaded once, and its own
 * compliance profile (every cdk-nag pack, EcrSupplyChainChecks, CloudFormation schema findings as
 * errors) runs at synth.
 */
const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function loadFirstApp(context: Record<string, unknown> = {}): { app: App; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'first-app-'));
  outdirs.push(outdir);
  const saved = { context: process.env.CDK_CONTEXT_JSON, outdir: process.env.CDK_OUTDIR };
  process.env.CDK_CONTEXT_JSON = JSON.stringify(context);
  process.env.CDK_OUTDIR = outdir;
  try {
    let app: App | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      app = require('../../examples/first-app/app').app;
    });
    // The CLI synthesizes when the process exits (autoSynth); the test synthesizes explicitly.
    return { app: app!, outdir };
  } finally {
    restore('CDK_CONTEXT_JSON', saved.context);
    restore('CDK_OUTDIR', saved.outdir);
  }
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) {
    delete process.env[name];
  } else {
    process.env[name] = value;
  }
}

describe('README first app (examples/first-app)', () => {
  // cdk init writes the currently recommended feature flags into cdk.json; an older app has none.
  test.each([
    ['the feature flags cdk init writes', CURRENTLY_RECOMMENDED_FLAGS],
    ['no feature flags', {}],
  ])('synthesizes with %s and no finding of the profile it applies (cdk-nag packs, EcrSupplyChainChecks, schema)', (_name, flags) => {
    const { app } = loadFirstApp(flags);
    const result = ComplianceProfile.of(app)!.synth();
    expect(result.packs.map((p) => p.name)).toEqual([
      'AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321', 'EcrSupplyChain',
    ]);
    expect(result.assembly.stacks.map((s) => s.stackName)).toEqual(['RegistryStack']);
    // Exactly the acknowledgment the README explains, and no other.
    expect(result.acknowledgments.map((a) => a.id)).toEqual(['AwsSolutions::AwsSolutions-IAM5[Resource::*]']);
  });

  test('defines a registry, one repository and the GitHub Actions push role', () => {
    const { app } = loadFirstApp();
    const stack = app.node.findChild('RegistryStack') as any;
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'team/api', ImageTagMutability: 'IMMUTABLE' });
    t.resourceCountIs('AWS::ECR::RegistryScanningConfiguration', 1);
    t.resourceCountIs('AWS::IAM::OIDCProvider', 1);
  });
});
