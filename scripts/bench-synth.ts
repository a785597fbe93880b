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
/** Synths per side: more for small stacks, whose few milliseconds are noisy. */
const runsFor = (n: number) => (n <= 1 ? 101 : n <= 50 ? 11 : n <= 200 ? 7 : 5);

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

function median(runs: Measure[]): Measure {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Runs both sides alternately, so that one-time costs (JIT tier-up, the CloudFormation
 * validation engine's first templates of a size) do not land on whichever side runs first.
 */
function measurePair(n: number): [Measure, Measure] {
  const ours: Measure[] = [];
  const theirs: Measure[] = [];
  for (let i = 0; i < runsFor(n); i++) {
    ours.push(synth(secure(n)));
    theirs.push(synth(plain(n)));
  }
  return [median(ours), median(theirs)];
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
  // Warm up module loading, the JIT and the validation engine on both sides, for at least 3 s:
  // with a few synths only, the 1-repository figure measured our code half-interpreted (1.7x;
  // 1.07x once optimized).
  const until = Date.now() + 3000;
  for (let i = 0; i < 4 || Date.now() < until; i++) {
    for (const n of [1, 5, 50]) {
      synth(secure(n));
      synth(plain(n));
    }
  }
  const rows: string[] = [];
  rows.push('repos | ours ms | plain ms | time ratio | ours bytes | plain bytes | bytes ratio | ours resources | plain resources');
  rows.push('---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---:');
  for (const n of COUNTS) {
    const [ours, theirs] = measurePair(n);
    rows.push([
      n,
      ours.ms.toFixed(0), theirs.ms.toFixed(0), (ours.ms / theirs.ms).toFixed(2) + 'x',
      ours.bytes, theirs.bytes, (ours.bytes / theirs.bytes).toFixed(2) + 'x',
      ours.resources, theirs.resources,
    ].join(' | '));
  }
  process.stdout.write(`Synth: SecureRepository vs plain ecr.Repository (median of ${COUNTS.map(runsFor).join('/')} alternating synths each)\n`);
  process.stdout.write(rows.join('\n') + '\n');
}

main();
