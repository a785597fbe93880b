/**
 * Benchmark of the offline lifecycle evaluator (not a timed test).
 *
 * Run: npx ts-node --project test/tsconfig.json scripts/bench-lifecycle.ts
 *
 * For 10k, 100k and 1M synthetic images, evaluates a 10-rule policy (count, age, pull and archive
 * rules, pattern and prefix lists) and compares with a bare sort of the same images by push time
 * (`images.slice().sort((a, b) => a.imagePushedAt.getTime() - b.imagePushedAt.getTime())`), the floor
 * any evaluator pays. Prints the median of several runs after a warm-up.
 */
import { Duration } from 'aws-cdk-lib';
import {
  CountSelection, LifecycleImage, LifecycleImageStatus, LifecyclePolicy, LifecycleRule, LifecycleTagStatus,
} from '../src/lifecycle';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;

/** A seeded linear congruential generator, so every run measures the same images. */
function rng(seed: number): () => number {
  let s = seed % 4294967296;
  return () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return s / 4294967296;
  };
}

function synthesize(n: number): LifecycleImage[] {
  const r = rng(n);
  const kinds = ['v', 'release-', 'sha-', 'main-', 'pr-', 'rc-'];
  const images: LifecycleImage[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = r();
    const pushedAt = new Date(NOW.getTime() - Math.floor(r() * 720 * DAY));
    const digest = `sha256:${i.toString(16).padStart(64, '0')}`;
    if (x < 0.15) {
      // a signature of an earlier image
      const subject = i > 0 ? images[Math.floor(r() * i)].imageDigest : undefined;
      images[i] = { imageDigest: digest, imagePushedAt: pushedAt, subjectManifestDigest: subject };
    } else if (x < 0.3) {
      images[i] = { imageDigest: digest, imagePushedAt: pushedAt };
    } else {
      const kind = kinds[Math.floor(r() * kinds.length)];
      const tags = [`${kind}${i}`];
      if (r() < 0.2) tags.push('latest-' + (i % 50));
      const archived = r() < 0.1;
      images[i] = {
        imageDigest: digest,
        imageTags: tags,
        imagePushedAt: pushedAt,
        lastRecordedPullTime: r() < 0.6 ? new Date(pushedAt.getTime() + Math.floor(r() * (NOW.getTime() - pushedAt.getTime()))) : undefined,
        imageStatus: archived ? LifecycleImageStatus.ARCHIVED : LifecycleImageStatus.ACTIVE,
        lastArchivedAt: archived ? new Date(NOW.getTime() - Math.floor(r() * 400 * DAY)) : undefined,
      };
    }
  }
  return images;
}

const policy = new LifecyclePolicy({
  rules: [
    LifecycleRule.keepNewest({ count: 30, tagPatternList: ['v*'] }),
    LifecycleRule.keepNewest({ count: 30, tagPatternList: ['release-*'] }),
    LifecycleRule.expire({ tagPrefixList: ['rc-'], count: CountSelection.imageCountMoreThan(10) }),
    LifecycleRule.expire({ tagPatternList: ['pr-*'], count: CountSelection.sinceImagePushed(Duration.days(14)) }),
    LifecycleRule.expire({ tagPatternList: ['*latest*'], count: CountSelection.imageCountMoreThan(50) }),
    LifecycleRule.transition({ tagPatternList: ['main-*'], count: CountSelection.sinceImagePulled(Duration.days(30)) }),
    LifecycleRule.expireUntagged(Duration.days(7)),
    LifecycleRule.transition({ tagPatternList: ['sha-*'], count: CountSelection.sinceImagePushed(Duration.days(60)) }),
    LifecycleRule.transition({ tagStatus: LifecycleTagStatus.ANY, count: CountSelection.sinceImagePulled(Duration.days(90)) }),
    LifecycleRule.expireArchived(Duration.days(180)),
  ],
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown, runs: number): number {
  // Warm-up until the JIT has optimized the code: at least 3 runs and 500 ms (at 10k images, 3
  // runs left the evaluator half-interpreted and the figure 2.5x its steady state).
  const until = Date.now() + 500;
  for (let i = 0; i < 3 || Date.now() < until; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(samples);
}

console.log(`lifecycle evaluator benchmark: ${policy.rules.length}-rule policy, node ${process.version}`);
console.log('images     evaluate (ms)  bare sort (ms)  ratio  expired  archived');
for (const n of [10_000, 100_000, 1_000_000]) {
  const images = synthesize(n);
  const runs = n >= 1_000_000 ? 3 : 7;
  let last = policy.preview(images, NOW);
  const evalMs = time(() => { last = policy.preview(images, NOW); }, runs);
  const sortMs = time(() => images.slice().sort((a, b) => a.imagePushedAt.getTime() - b.imagePushedAt.getTime()), runs);
  console.log(`${String(n).padEnd(10)} ${evalMs.toFixed(1).padStart(13)}  ${sortMs.toFixed(1).padStart(14)}  ${(evalMs / sortMs).toFixed(2).padStart(5)}  ${String(last.summary.expiringImageTotalCount).padStart(7)}  ${String(last.summary.transitioningImageTotalCount).padStart(8)}`);
}
