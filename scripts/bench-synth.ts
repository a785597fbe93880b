/**
 * Synth benchmark: N repositories declared with SecureRepository against N plain
 * ecr.Repository configured by hand with equivalent settings (customer managed key shared per
 * stack, immutable tags, scan on push, the same lifecycle policy, retained).
 *
 * Prints, for each N, synth time, template bytes and resource count of both, and the ratios.
 * Figures are measured in this one run (median of several synths), not asserted.
 *
 * Run: npx ts-node --project scripts/tsconfig.json scripts/bench-synth.ts
 */
import { App, RemovalPolicy, Stack, aws_ecr as ecr, aws_kms as kms } from 'aws-cdk-lib';
import { LifecyclePolicy, SecureRepository } from '../src';

const ENV = { account: '111111111111', region: 'us-east-1' };
const COUNTS = [1, 50, 200, 450];
const RUNS = 5;

interface Measure { readonly ms: number; readonly bytes: number; readonly resources: number }

function synth(build: (stack: Stack) => void): Measure {
  const app = new App();
  const stack = new Stack(app, 'Bench', { env: ENV });
  const start = process.hrtime.bigint();
  build(stack);
  const assembly = app.synth();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const template = assembly.getStackByName('Bench').template;
  return { ms, bytes: JSON.stringify(template).length, resources: Object.keys(template.Resources).length };
}

function median(build: (stack: Stack) => void): Measure {
  const runs = Array.from({ length: RUNS }, () => synth(build)).sort((a, b) => a.ms - b.ms);
  return runs[Math.floor(RUNS / 2)];
}

function secure(n: number) {
  return (stack: Stack) => {
    for (let i = 0; i < n; i++) {
      new SecureRepository(stack, `Repo${i}`, { repositoryName: `team/app-${i}` });
    }
  };
}

function plain(n: number) {
  const lifecycle = JSON.parse(LifecyclePolicy.secureDefault().render());
  return (stack: Stack) => {
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    for (let i = 0; i < n; i++) {
      const repo = new ecr.Repository(stack, `Repo${i}`, {
        repositoryName: `team/app-${i}`,
        encryption: ecr.RepositoryEncryption.KMS,
        encryptionKey: key,
        imageTagMutability: ecr.TagMutability.IMMUTABLE,
        imageScanOnPush: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      // The L2's typed lifecycle rules cannot express every ECR rule; set the same text.
      (repo.node.defaultChild as ecr.CfnRepository).lifecyclePolicy = { lifecyclePolicyText: JSON.stringify(lifecycle) };
    }
  };
}

function main(): void {
  // warm up module loading and JIT
  synth(secure(5));
  synth(plain(5));
  const rows: string[] = [];
  rows.push('repos | ours ms | plain ms | time ratio | ours bytes | plain bytes | bytes ratio | ours resources | plain resources');
  rows.push('---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---:');
  for (const n of COUNTS) {
    const ours = median(secure(n));
    const theirs = median(plain(n));
    rows.push([
      n,
      ours.ms.toFixed(0), theirs.ms.toFixed(0), (ours.ms / theirs.ms).toFixed(2) + 'x',
      ours.bytes, theirs.bytes, (ours.bytes / theirs.bytes).toFixed(2) + 'x',
      ours.resources, theirs.resources,
    ].join(' | '));
  }
  process.stdout.write(`Synth: SecureRepository vs plain ecr.Repository (median of ${RUNS} synths each)\n`);
  process.stdout.write(rows.join('\n') + '\n');
}

main();
