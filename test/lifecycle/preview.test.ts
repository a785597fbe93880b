import { Duration } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import {
  LifecycleImage, LifecycleImageStatus, LifecyclePolicy, LifecyclePreviewActionType, LifecycleRule,
  LifecyclePreviewStorageClass,
} from '../../src/lifecycle';
import { newestFirst } from '../../src/lifecycle/evaluator';

const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 24 * 3600 * 1000;
const ago = (days: number, extraMs = 0) => new Date(NOW.getTime() - days * DAY + extraMs);
const img = (digest: string, tags: string[], pushedDaysAgo: number, extra: Partial<LifecycleImage> = {}): LifecycleImage =>
  ({ imageDigest: digest, imageTags: tags, imagePushedAt: ago(pushedDaysAgo), ...extra });
const policyOf = (...rules: object[]) => LifecyclePolicy.fromJson(JSON.stringify({ rules }));
const expired = (policy: LifecyclePolicy, images: LifecycleImage[]) =>
  policy.preview(images, NOW).previewResults.map((r) => r.imageDigest).sort();
const countRule = (p: number, tagPatternList: string[] | undefined, n: number, tagStatus = 'tagged') => ({
  rulePriority: p,
  description: `Rule ${p}`,
  selection: { tagStatus, ...(tagPatternList ? { tagPatternList } : {}), countType: 'imageCountMoreThan', countNumber: n },
  action: { type: 'expire' },
});

// Examples of lifecycle_policy_examples.html, with their documented outcomes.
// https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html
describe('AWS documented examples', () => {
  test('Filtering on multiple rules, Example A: only A expires (B is protected by rule 1)', () => {
    const images = [img('A', ['beta-1', 'prod-1'], 10), img('B', ['beta-2', 'prod-2'], 9), img('C', ['beta-3'], 8)];
    expect(expired(policyOf(countRule(1, ['prod*'], 1), countRule(2, ['beta*'], 1)), images)).toEqual(['A']);
  });

  test('Filtering on multiple rules, Example B: A and B expire', () => {
    const images = [img('A', ['beta-1', 'prod-1'], 10), img('B', ['beta-2', 'prod-2'], 9), img('C', ['beta-3'], 8)];
    expect(expired(policyOf(countRule(1, ['beta*'], 1), countRule(2, ['prod*'], 1)), images)).toEqual(['A', 'B']);
  });

  test('Multiple tags in a single rule, Example A: only C expires (both patterns must match)', () => {
    const images = [img('A', ['alpha-1'], 12), img('B', ['beta-1'], 11), img('C', ['alpha-2', 'beta-2'], 10),
      img('D', ['alpha-3'], 4), img('E', ['beta-3'], 3), img('F', ['alpha-4', 'beta-4'], 2)];
    const policy = policyOf({ rulePriority: 1, selection: { tagStatus: 'tagged', tagPatternList: ['alpha*', 'beta*'], countType: 'sinceImagePushed', countNumber: 5, countUnit: 'days' }, action: { type: 'expire' } });
    expect(expired(policy, images)).toEqual(['C']);
  });

  test('Multiple tags in a single rule, Example B: A and B expire (extra tags do not matter)', () => {
    const images = [img('A', ['alpha-1', 'beta-1', 'gamma-1'], 10), img('B', ['alpha-2', 'beta-2'], 9), img('C', ['alpha-3', 'beta-3', 'gamma-2'], 8)];
    expect(expired(policyOf(countRule(1, ['alpha*', 'beta*'], 1)), images)).toEqual(['A', 'B']);
  });

  test('Filtering on all images, Example A: A, B and C expire', () => {
    const images = [img('A', ['alpha-1'], 4), img('B', ['beta-1'], 3), img('C', [], 2), img('D', ['alpha-2'], 1)];
    expect(expired(policyOf(countRule(1, undefined, 1, 'any')), images)).toEqual(['A', 'B', 'C']);
  });

  test('Filtering on all images, Example B: A, B and D expire (rule 3 ranks images claimed by rules 1 and 2)', () => {
    // D and E are both "1 day ago"; the documented outcome keeps E as the newest, so E is pushed a minute later.
    const images = [img('A', ['alpha-1', 'beta-1'], 4), img('B', [], 3), img('C', ['alpha-2'], 2),
      img('D', ['git hash'], 1), { ...img('E', [], 1), imagePushedAt: ago(1, 60_000) }];
    const policy = policyOf(countRule(1, ['alpha*'], 1),
      { rulePriority: 2, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } },
      countRule(3, undefined, 1, 'any'));
    const preview = policy.preview(images, NOW);
    expect(preview.previewResults.map((r) => [r.imageDigest, r.appliedRulePriority])).toEqual([['A', 1], ['B', 2], ['D', 3]]);
  });

  test('Filtering on image age with tagPatternList prod* (anchored: preprod is not matched)', () => {
    const images = [img('old', ['prod-1'], 20), img('new', ['prod-2'], 3), img('pre', ['preprod'], 20)];
    const policy = policyOf({ rulePriority: 1, selection: { tagStatus: 'tagged', tagPatternList: ['prod*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } });
    expect(expired(policy, images)).toEqual(['old']);
  });

  test('Combining archive and expire rules: standard images archived, archived ones expired, each by its own storage class', () => {
    const policy = policyOf(
      { rulePriority: 1, selection: { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }, action: { type: 'transition', targetStorageClass: 'archive' } },
      { rulePriority: 2, selection: { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 365 }, action: { type: 'expire' } });
    const images = [
      img('fresh', ['a'], 10),
      img('stale', ['b'], 40),
      img('arch-old', ['c'], 800, { imageStatus: LifecycleImageStatus.ARCHIVED, lastArchivedAt: ago(400) }),
      img('arch-new', ['d'], 800, { imageStatus: LifecycleImageStatus.ARCHIVED, lastArchivedAt: ago(100) }),
      img('restoring', ['e'], 800, { imageStatus: LifecycleImageStatus.ACTIVATING, lastArchivedAt: ago(400) }),
    ];
    const results = policy.preview(images, NOW).previewResults;
    expect(results).toEqual([
      { imageDigest: 'stale', imageTags: ['b'], imagePushedAt: ago(40), action: { type: LifecyclePreviewActionType.TRANSITION, targetStorageClass: LifecyclePreviewStorageClass.ARCHIVE }, appliedRulePriority: 1, storageClass: LifecyclePreviewStorageClass.STANDARD },
      { imageDigest: 'arch-old', imageTags: ['c'], imagePushedAt: ago(800), action: { type: LifecyclePreviewActionType.EXPIRE }, appliedRulePriority: 2, storageClass: LifecyclePreviewStorageClass.ARCHIVE },
    ]);
  });

  test('Filtering on image count: keep only one untagged image', () => {
    const images = [img('u1', [], 3), img('u2', [], 2), img('u3', [], 1), img('t', ['x'], 9)];
    expect(expired(policyOf(countRule(1, undefined, 1, 'untagged')), images)).toEqual(['u1', 'u2']);
  });

  test('tagPrefixList entries are prefixes, AND-ed', () => {
    const policy = policyOf({ rulePriority: 1, selection: { tagStatus: 'tagged', tagPrefixList: ['alpha', 'beta'], countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } });
    expect(expired(policy, [img('A', ['alpha-1', 'beta-1'], 3), img('B', ['alpha-2'], 2), img('C', ['beta-2', 'alpha-3'], 1)])).toEqual(['A']);
  });
});

describe('sinceImagePulled clock', () => {
  const policy = LifecyclePolicy.fromJson(JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 90 }, action: { type: 'transition', targetStorageClass: 'archive' } }] }));
  test.each([
    ['pulled recently', { lastRecordedPullTime: ago(10) }, false],
    ['pulled long ago', { lastRecordedPullTime: ago(100) }, true],
    ['never pulled: push time', {}, true],
    ['restored after the last pull: restore time', { lastRecordedPullTime: ago(200), lastActivatedAt: ago(5) }, false],
    ['restored, never pulled since, long ago', { lastRecordedPullTime: ago(300), lastActivatedAt: ago(120) }, true],
  ])('%s', (_name, extra, archived) => {
    expect(expired(policy, [img('x', ['t'], 365, extra as Partial<LifecycleImage>)])).toEqual(archived ? ['x'] : []);
  });

  test('exactly N days is not "older than N days"', () => {
    expect(expired(policy, [img('x', ['t'], 90)])).toEqual([]);
  });
});

describe('referrers follow their subject', () => {
  const sig = (digest: string, subject: string, days: number) => img(digest, [], days, { subjectManifestDigest: subject });

  test('secureDefault never expires the signature of an image it keeps, and expires it with its subject', () => {
    // GIVEN 101 tagged images (the oldest beyond the kept 100), each signed 20 days ago
    const images: LifecycleImage[] = [];
    for (let i = 0; i < 101; i++) {
      images.push(img(`img${i}`, [`v${i}`], 200 - i));
      images.push(sig(`sig${i}`, `img${i}`, 20));
    }
    images.push(img('dangling', [], 30));
    // WHEN
    const results = LifecyclePolicy.secureDefault().preview(images, NOW).previewResults;
    // THEN the oldest tagged image and its signature expire; nothing else (no untagged rule)
    expect(results.map((r) => [r.imageDigest, r.appliedRulePriority])).toEqual([['img0', 1], ['sig0', 1]]);
  });

  test('releaseRetention archives a referrer with its subject; chains follow the root subject', () => {
    const images = [
      img('old', ['sha-1'], 200, { lastRecordedPullTime: ago(100) }),
      sig('sbom', 'old', 200),
      sig('sbom-sig', 'sbom', 200),
      img('release', ['v1'], 400),
      sig('release-sig', 'release', 400),
    ];
    const results = LifecyclePolicy.releaseRetention().preview(images, NOW).previewResults;
    expect(results.map((r) => [r.imageDigest, r.action.type, r.appliedRulePriority])).toEqual([
      ['old', 'TRANSITION', 2], ['sbom', 'TRANSITION', 2], ['sbom-sig', 'TRANSITION', 2],
    ]);
  });

  test('a referrer whose subject is not in the inventory is an ordinary untagged image', () => {
    const policy = new LifecyclePolicy({ rules: [LifecycleRule.expireUntagged(Duration.days(7))] });
    expect(expired(policy, [sig('orphan', 'sha256:gone', 30)])).toEqual(['orphan']);
  });

  /*
   * ECR documents that referrers follow their subject (within 24 hours) but not whether a rule that
   * selects untagged images can also select a referrer on its own. The preview models the first
   * reading; the second is modelled here by removing the subject link, so a signature is an
   * ordinary untagged image. No preset may delete (or archive) the signature of an image it keeps
   * under either reading.
   */
  describe('no preset touches the signature of a kept image, under either reading', () => {
    const inventory = (): LifecycleImage[] => {
      const images: LifecycleImage[] = [];
      for (let i = 0; i < 120; i++) {
        images.push(img(`rel${i}`, [`v${i}`], 400 - i, { lastRecordedPullTime: ago(200) }));
        images.push(sig(`relsig${i}`, `rel${i}`, 300 - i));
        images.push(img(`sha${i}`, [`sha-${i}`], 300 - i, { lastRecordedPullTime: ago(i) }));
        images.push(sig(`shasig${i}`, `sha${i}`, 300 - i));
      }
      return images;
    };
    const secondReading = (images: LifecycleImage[]) => images.map((i) => ({ ...i, subjectManifestDigest: undefined }));
    const presets: Array<[string, LifecyclePolicy]> = [
      ['secureDefault', LifecyclePolicy.secureDefault()],
      ['releaseRetention', LifecyclePolicy.releaseRetention()],
      ['releaseRetention with expireArchivedAfter', LifecyclePolicy.releaseRetention({ keepReleases: 10, expireArchivedAfter: Duration.days(90) })],
    ];

    test.each(presets)('%s', (_name, policy) => {
      for (const images of [inventory(), secondReading(inventory())]) {
        const results = policy.preview(images, NOW).previewResults;
        const touched = new Set(results.map((r) => r.imageDigest));
        const keptSubjects = inventory().filter((i) => i.subjectManifestDigest === undefined && !touched.has(i.imageDigest));
        const signaturesOfKept = keptSubjects.map((i) => i.imageDigest.replace(/^(rel|sha)/, '$1sig'));
        expect(keptSubjects.length).toBeGreaterThan(0);
        expect(signaturesOfKept.filter((d) => touched.has(d))).toEqual([]);
      }
    });

    test('the check can fail: an untagged rule deletes kept images\' signatures under the second reading', () => {
      const policy = LifecyclePolicy.releaseRetention({ expireUntaggedAfter: Duration.days(7) });
      const results = policy.preview(secondReading(inventory()), NOW).previewResults;
      expect(results.filter((r) => r.imageDigest === 'relsig119' && r.action.type === 'EXPIRE')).toHaveLength(1);
    });
  });
});

describe('rollback-safety warnings', () => {
  const codes = (policy: LifecyclePolicy, images: LifecycleImage[]) => policy.preview(images, NOW).warnings.map((w) => w.code);

  test('NoImageLeft and TagSelectionLeftEmpty', () => {
    const policy = policyOf({ rulePriority: 1, selection: { tagStatus: 'tagged', tagPatternList: ['v*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } });
    expect(codes(policy, [img('a', ['v1'], 5), img('b', ['v2'], 4)])).toEqual(['NoImageLeft', 'TagSelectionLeftEmpty']);
  });

  test('NoPullableImageLeft when everything is archived', () => {
    const policy = LifecyclePolicy.fromJson(JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 30 }, action: { type: 'transition', targetStorageClass: 'archive' } }] }));
    expect(codes(policy, [img('a', ['x'], 50)])).toEqual(['NoPullableImageLeft']);
  });

  test('RecentlyPulledImageArchived: releaseRetention archives a release beyond the kept ones that is still pulled', () => {
    // GIVEN 31 releases; the oldest is still pulled (e.g. a service that was never redeployed)
    const images = Array.from({ length: 31 }, (_, i) => img(`r${i}`, [`v1.${i}`], 100 - i, { lastRecordedPullTime: ago(i === 0 ? 1 : 60) }));
    // THEN the preview says so: an archived image cannot be pulled until restored
    expect(codes(LifecyclePolicy.releaseRetention(), images)).toEqual(['RecentlyPulledImageArchived']);
  });

  test('RecentlyPulledImageExpired', () => {
    const policy = policyOf(countRule(1, ['v*'], 1));
    expect(codes(policy, [img('a', ['v1'], 50, { lastRecordedPullTime: ago(2) }), img('b', ['v2'], 1)])).toEqual(['RecentlyPulledImageExpired']);
  });

  test('NoArchivedImagesInInventory for archive rules without archived images', () => {
    const policy = LifecyclePolicy.releaseRetention({ expireArchivedAfter: Duration.days(365) });
    expect(codes(policy, [img('a', ['v1'], 1)])).toEqual(['NoArchivedImagesInInventory']);
  });

  test('presets keep the newest release even when nothing was pulled for years', () => {
    const images = [img('r1', ['v1'], 900), img('r2', ['v2'], 800), img('other', ['sha-x'], 700)];
    const preview = LifecyclePolicy.releaseRetention({ keepReleases: 1 }).preview(images, NOW);
    expect(preview.previewResults.map((r) => [r.imageDigest, r.action.type])).toEqual([['r1', 'TRANSITION'], ['other', 'TRANSITION']]);
    expect(preview.warnings).toEqual([]);
  });

  test('releaseRetention archives releases beyond the kept ones and never deletes one', () => {
    // GIVEN 40 releases, none pulled for a year, and nothing else
    const images = Array.from({ length: 40 }, (_, i) => img(`r${i}`, [`v1.${i}`], 400 - i, { lastRecordedPullTime: ago(365) }));
    // WHEN
    const preview = LifecyclePolicy.releaseRetention().preview(images, NOW);
    // THEN the 10 oldest go to the archive (restorable); the 30 newest stay; none is expired
    expect(preview.previewResults.map((r) => [r.imageDigest, r.action.type])).toEqual(
      Array.from({ length: 10 }, (_, i) => [`r${i}`, 'TRANSITION']));
    expect(preview.summary.expiringImageTotalCount).toBe(0);
  });

  test('summary counts per rule', () => {
    const images = [img('r1', ['v1'], 900), img('r2', ['v2'], 800), img('other', ['sha-x'], 700), img('u', [], 9)];
    const summary = LifecyclePolicy.releaseRetention({ keepReleases: 1, expireUntaggedAfter: Duration.days(7) }).preview(images, NOW).summary;
    expect(summary).toMatchObject({ expiringImageTotalCount: 1, transitioningImageTotalCount: 2, imageTotalCount: 4 });
    expect(summary.rules.map((r) => [r.rulePriority, r.expiringImageCount, r.transitioningImageCount])).toEqual([[1, 0, 1], [2, 0, 1], [3, 1, 0]]);
  });
});

// ---- property-based tests ----------------------------------------------------------------

/** A direct transcription of ECR's evaluation rules, slow and simple, used as the oracle. */
function reference(rules: any[], images: LifecycleImage[], now: Date): Map<string, number> {
  const sorted = [...rules].sort((a, b) => a.rulePriority - b.rulePriority);
  const clsOf = (i: LifecycleImage) => (i.imageStatus ?? 'ACTIVE') === 'ACTIVE' ? 'standard' : i.imageStatus === 'ARCHIVED' ? 'archive' : 'none';
  const re = (p: string) => new RegExp('^' + p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  const matches = (r: any, i: LifecycleImage) => {
    if ((r.selection.storageClass ?? 'standard') !== clsOf(i)) return false;
    const tags = i.imageTags ?? [];
    if (r.selection.tagStatus === 'any') return true;
    if (r.selection.tagStatus === 'untagged') return tags.length === 0;
    if (r.selection.tagPatternList) return tags.length > 0 && r.selection.tagPatternList.every((p: string) => tags.some((t) => re(p).test(t)));
    return tags.length > 0 && r.selection.tagPrefixList.every((p: string) => tags.some((t) => t.startsWith(p)));
  };
  const pushT = (i: LifecycleImage) => (i.lastActivatedAt ?? i.imagePushedAt).getTime();
  const result = new Map<string, number>();
  const claimed = new Set<string>();
  const subjects = images.filter((i) => !(i.subjectManifestDigest && images.some((j) => j.imageDigest === i.subjectManifestDigest)));
  for (const r of sorted) {
    const identified = subjects.filter((i) => matches(r, i));
    const marked = new Set<string>();
    const limit = now.getTime() - r.selection.countNumber * DAY;
    if (r.selection.countType === 'imageCountMoreThan') {
      identified.sort((a, b) => pushT(b) - pushT(a) || (a.imageDigest < b.imageDigest ? -1 : 1))
        .slice(r.selection.countNumber).forEach((i) => marked.add(i.imageDigest));
    } else {
      for (const i of identified) {
        const clock = r.selection.countType === 'sinceImagePushed' ? pushT(i)
          : r.selection.countType === 'sinceImagePulled'
            ? Math.max((i.lastRecordedPullTime ?? i.imagePushedAt).getTime(), i.lastActivatedAt?.getTime() ?? -Infinity)
            : i.lastArchivedAt?.getTime() ?? NaN;
        if (clock < limit) marked.add(i.imageDigest);
      }
    }
    for (const i of identified) {
      if (claimed.has(i.imageDigest)) continue;
      claimed.add(i.imageDigest);
      if (marked.has(i.imageDigest)) result.set(i.imageDigest, r.rulePriority);
    }
  }
  for (const i of images) {
    let s = i;
    for (let hops = 0; s.subjectManifestDigest && hops < 64; hops++) {
      const next = images.find((j) => j.imageDigest === s.subjectManifestDigest);
      if (!next) break;
      s = next;
    }
    if (s !== i && result.has(s.imageDigest)) result.set(i.imageDigest, result.get(s.imageDigest)!);
  }
  return result;
}

const tagArb = fc.constantFrom('v1', 'v2', 'v10', 'prod-1', 'prod', 'preprod', 'beta-1', 'sha-abc', 'latest', 'release-3');
const imagesArbOf = (minLength: number, maxLength: number) => fc.array(fc.record({
  tags: fc.array(tagArb, { maxLength: 3 }),
  pushed: fc.integer({ min: 0, max: 400 }),
  pulled: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
  archived: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
  activating: fc.boolean(),
  referrerOf: fc.option(fc.nat(maxLength), { nil: undefined }),
}), { minLength, maxLength }).map((raw) => raw.map((r, i): LifecycleImage => ({
  imageDigest: `sha256:${i.toString().padStart(4, '0')}`,
  imageTags: r.referrerOf !== undefined ? [] : [...new Set(r.tags)],
  imagePushedAt: ago(r.pushed),
  lastRecordedPullTime: r.pulled === undefined ? undefined : ago(Math.min(r.pulled, r.pushed)),
  imageStatus: r.archived === undefined ? LifecycleImageStatus.ACTIVE
    : r.activating ? LifecycleImageStatus.ACTIVATING : LifecycleImageStatus.ARCHIVED,
  lastArchivedAt: r.archived === undefined ? undefined : ago(r.archived),
  subjectManifestDigest: r.referrerOf !== undefined && r.referrerOf !== i ? `sha256:${r.referrerOf.toString().padStart(4, '0')}` : undefined,
})));
const imagesArb = imagesArbOf(0, 30);
/** Large enough for the radix sort of count rules (64 ranked images and up), with many equal push times. */
const largeImagesArb = imagesArbOf(64, 240);

const policyArb = fc.constantFrom(
  LifecyclePolicy.secureDefault(),
  LifecyclePolicy.releaseRetention({ keepReleases: 2, expireArchivedAfter: Duration.days(120) }),
  LifecyclePolicy.releaseRetention({ releaseTagPatterns: ['prod*', '*-1'], keepReleases: 1 }),
  new LifecyclePolicy({
    rules: [
      LifecycleRule.keepNewest({ count: 2, tagPatternList: ['v*'] }),
      LifecycleRule.keepNewest({ count: 1, tagPatternList: ['*prod*'] }),
      LifecycleRule.expireUntagged(Duration.days(30)),
      LifecycleRule.archiveNotPulled({ notPulledFor: Duration.days(60), tagPatternList: ['sha-*'] }),
    ],
  }),
  policyOf(countRule(1, ['prod*'], 1), countRule(2, ['beta*'], 1), countRule(3, undefined, 3, 'any')),
);

describe('properties', () => {
  test.each([
    ['inventories of up to 30 images', imagesArb, 300],
    ['inventories large enough for its radix sort', largeImagesArb, 60],
  ])('the evaluator agrees with a direct transcription of ECR\'s rules on %s', (_name, arb, numRuns) => {
    fc.assert(fc.property(policyArb, arb, (policy, images) => {
      const got = new Map(policy.preview(images, NOW).previewResults.map((r) => [r.imageDigest, r.appliedRulePriority]));
      const want = reference(JSON.parse(policy.render()).rules, images, NOW);
      expect(got).toEqual(want);
    }), { numRuns });
  });

  test('at most one result per image, totals match, and the result does not depend on inventory order', () => {
    fc.assert(fc.property(policyArb, imagesArb, fc.integer(), (policy, images, seed) => {
      const a = policy.preview(images, NOW);
      const digests = a.previewResults.map((r) => r.imageDigest);
      expect(new Set(digests).size).toBe(digests.length);
      expect(a.summary.expiringImageTotalCount + a.summary.transitioningImageTotalCount).toBe(digests.length);
      const shuffled = [...images].sort((x, y) => ((x.imageDigest.charCodeAt(11) * seed) % 7) - ((y.imageDigest.charCodeAt(11) * seed) % 7));
      const b = policy.preview(shuffled, NOW);
      const actions = (p: typeof a) => new Map(p.previewResults.map((r) => [r.imageDigest, r.action.type]));
      expect(actions(b)).toEqual(actions(a));
    }), { numRuns: 200 });
  });

  test('keepNewest(k) first: the k newest matching active images are never touched', () => {
    fc.assert(fc.property(imagesArb, fc.integer({ min: 1, max: 5 }), (images, k) => {
      const policy = new LifecyclePolicy({
        rules: [
          LifecycleRule.keepNewest({ count: k, tagPatternList: ['v*'] }),
          LifecycleRule.expireUntagged(Duration.days(1)),
          LifecycleRule.archiveNotPulled({ notPulledFor: Duration.days(1) }),
        ],
      });
      const touched = new Set(policy.preview(images, NOW).previewResults.map((r) => r.imageDigest));
      const newest = images.filter((i) => (i.imageStatus ?? 'ACTIVE') === 'ACTIVE' && !i.subjectManifestDigest && (i.imageTags ?? []).some((t) => t.startsWith('v')))
        .sort((a, b) => b.imagePushedAt.getTime() - a.imagePushedAt.getTime() || (a.imageDigest < b.imageDigest ? -1 : 1)).slice(0, k);
      for (const i of newest) expect(touched.has(i.imageDigest)).toBe(false);
    }), { numRuns: 200 });
  });

  test('standard rules never act on archived images; archive rules only on archived ones', () => {
    fc.assert(fc.property(policyArb, imagesArb, (policy, images) => {
      const byDigest = new Map(images.map((i) => [i.imageDigest, i]));
      const ruleClass = new Map(policy.rules.map((r) => [r.rulePriority, r.storageClass]));
      for (const r of policy.preview(images, NOW).previewResults) {
        const image = byDigest.get(r.imageDigest)!;
        if (image.subjectManifestDigest && byDigest.has(image.subjectManifestDigest)) continue; // follows its subject
        expect(ruleClass.get(r.appliedRulePriority)).toBe((image.imageStatus ?? 'ACTIVE') === 'ARCHIVED' ? 'archive' : 'standard');
      }
    }), { numRuns: 200 });
  });
});

describe('newestFirst (the ranking sort of count rules)', () => {
  const comparatorOrder = (times: number[], digests: string[]) => times.map((_, i) => i)
    .sort((a, b) => (times[b] - times[a]) || (digests[a] < digests[b] ? -1 : digests[a] > digests[b] ? 1 : 0));
  const run = (times: number[]) => {
    // digests in reverse index order, so a tie broken by index instead of digest would be caught
    const digests = times.map((_, i) => `sha256:${(times.length - i).toString(16).padStart(8, '0')}`);
    const images = digests.map((d) => ({ imageDigest: d, imagePushedAt: NOW }));
    const idx = Uint32Array.from(times.map((_, i) => i));
    return { got: [...newestFirst(idx, Float64Array.from(times), images)], want: comparatorOrder(times, digests) };
  };

  test.each([
    ['under 2^16 ms', 2 ** 16 - 1],
    ['under 2^32 ms', 2 ** 32 - 1],
    ['under 2^48 ms', 2 ** 48 - 1],
    ['up to 2^53 ms', Number.MAX_SAFE_INTEGER],
  ])('matches the comparator sort for spans %s, ties included', (_name, span) => {
    fc.assert(fc.property(
      fc.array(fc.oneof(
        fc.integer({ min: 0, max: 20 }), // ties
        fc.bigInt({ min: BigInt(0), max: BigInt(span) }).map(Number), // every digit of the span
        fc.bigInt({ min: BigInt(span) - BigInt(50), max: BigInt(span) }).map(Number), // near the top, ties
      ), { minLength: 64, maxLength: 400 }),
      fc.integer({ min: -1e12, max: 1e12 }),
      (offsets, base) => {
        const times = offsets.map((o) => (span > 2 ** 52 ? o : base + o));
        const { got, want } = run(times);
        expect(got).toEqual(want);
      },
    ), { numRuns: 60 });
  });

  test('falls back to the comparator sort for fractional times and short lists', () => {
    const fractional = Array.from({ length: 100 }, (_, i) => (i % 7) + 0.5);
    expect(run(fractional).got).toEqual(run(fractional).want);
    const short = [3, 1, 2, 3];
    expect(run(short).got).toEqual(run(short).want);
  });

  test('an inventory of identical push times is ordered by digest', () => {
    const same = Array.from({ length: 100 }, () => 1_700_000_000_000);
    const { got } = run(same);
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => 99 - i));
  });
});
