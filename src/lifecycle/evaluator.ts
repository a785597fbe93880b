import {
  LifecycleImage, LifecyclePreview, LifecyclePreviewAction, LifecyclePreviewActionType, LifecyclePreviewResult,
  LifecyclePreviewRuleSummary, LifecyclePreviewStorageClass, LifecyclePreviewWarning,
} from './preview';
import { RuleSpec, storageClassOf } from './rule-model';

/*
 * The offline lifecycle evaluator, following ECR's documented evaluation rules
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html, "Lifecycle policy
 * evaluation rules", and the worked examples of lifecycle_policy_examples.html):
 *
 * 1. A rule only sees images of its storage class (standard = ACTIVE, archive = ARCHIVED).
 *    ACTIVATING images (being restored) are seen by no rule.
 * 2. "An image that matches the tagging requirements of a rule cannot be expired or archived by a
 *    rule with a lower priority": so each image's fate is decided by the FIRST rule (by priority)
 *    whose tag selection matches it; that rule acts on it if the image meets its count criterion.
 * 3. Count rules (imageCountMoreThan) rank EVERY image their selection matches, including images
 *    decided by higher-priority rules ("can still identify them"; All images Example B marks D).
 * 4. Tag lists: every entry must match at least one tag of the image (AND); patterns are anchored
 *    wildcards (`prod*` does not match `preprod`), prefixes are `startsWith`.
 * 5. Ordering time: `last_activated_at` for an image restored from archive, else `pushed_at`; the
 *    pull clock is the last pull, else the restore time when later, else the push time.
 *    "Older than N days" is strict: age > N * 24 h.
 * 6. Referrers (an image whose `subjectManifestDigest` is in the inventory: signatures, SBOMs,
 *    attestations) are not selected by rules on their own: ECR expires or archives them within
 *    24 hours of the deletion or archival of their subject (UG-LC-HOW first bullet, image-signing
 *    "Considerations"). The preview gives them their subject's action and rule. A referrer whose
 *    subject is not in the inventory is evaluated as an ordinary image.
 *    Not modelled: manifest lists protecting their children (describe-images does not say which
 *    index references which manifest).
 */

const DAY_MS = 24 * 60 * 60 * 1000;
/** A preview warns when it expires an image pulled within this many days. */
export const RECENT_PULL_DAYS = 7;

interface CompiledRule {
  readonly spec: RuleSpec;
  readonly priority: number;
  readonly cls: number; // 0 standard, 1 archive
  readonly isCount: boolean;
  readonly thresholdMs: number; // for since* rules: images with clock < threshold are marked
  readonly match: (tags: string[] | undefined) => boolean;
  readonly action: LifecyclePreviewActionType;
}

function patternToRegExp(pattern: string): RegExp {
  const body = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}

/** @internal */
export function tagMatcher(spec: RuleSpec): (tags: string[] | undefined) => boolean {
  if (spec.tagStatus === 'untagged') return (tags) => !tags || tags.length === 0;
  if (spec.tagStatus === 'any') return () => true;
  const entries: Array<(tag: string) => boolean> = spec.tagPatternList
    ? spec.tagPatternList.map((p) => {
      if (p === '*') return () => true;
      const star = p.indexOf('*');
      if (star < 0) return (t: string) => t === p;
      const stars = p.split('*').length - 1;
      if (stars === 1 && star === p.length - 1) {
        const prefix = p.slice(0, -1);
        return (t: string) => t.startsWith(prefix);
      }
      if (stars === 1 && star === 0) {
        const suffix = p.slice(1);
        return (t: string) => t.endsWith(suffix);
      }
      if (stars === 2 && star === 0 && p.endsWith('*') && p.length > 2) {
        const inner = p.slice(1, -1);
        return (t: string) => t.includes(inner);
      }
      const re = patternToRegExp(p);
      return (t: string) => re.test(t);
    })
    : (spec.tagPrefixList ?? []).map((prefix) => (t: string) => t.startsWith(prefix));
  if (entries.length === 1) {
    const one = entries[0];
    return (tags) => {
      if (!tags) return false;
      for (let i = 0; i < tags.length; i++) if (one(tags[i])) return true;
      return false;
    };
  }
  return (tags) => {
    if (!tags || tags.length === 0) return false;
    for (const entry of entries) {
      let hit = false;
      for (let i = 0; i < tags.length && !hit; i++) hit = entry(tags[i]);
      if (!hit) return false;
    }
    return true;
  };
}

function compile(specs: RuleSpec[], nowMs: number): CompiledRule[] {
  return [...specs]
    .sort((a, b) => a.rulePriority! - b.rulePriority!)
    .map((spec) => ({
      spec,
      priority: spec.rulePriority!,
      cls: storageClassOf(spec) === 'archive' ? 1 : 0,
      isCount: spec.countType === 'imageCountMoreThan',
      thresholdMs: nowMs - spec.countNumber * DAY_MS,
      match: tagMatcher(spec),
      action: spec.actionType === 'transition' ? LifecyclePreviewActionType.TRANSITION : LifecyclePreviewActionType.EXPIRE,
    }));
}

// Frozen and shared by every result: a preview of 100k images would otherwise allocate 100k of each.
const EXPIRE_ACTION: LifecyclePreviewAction = Object.freeze({ type: LifecyclePreviewActionType.EXPIRE });
const TRANSITION_ACTION: LifecyclePreviewAction = Object.freeze({
  type: LifecyclePreviewActionType.TRANSITION, targetStorageClass: LifecyclePreviewStorageClass.ARCHIVE,
});

// Hashing and radix digits are bit arithmetic on 32-bit integers by nature.
/* eslint-disable no-bitwise */
const DIGEST_FILTER_SIZE = 1 << 18;

/** A slot of the subject prefilter, from a digest's last six characters (random hex in a real digest). */
function digestFilterSlot(digest: string): number {
  let h = 0;
  for (let k = Math.max(0, digest.length - 6); k < digest.length; k++) h = (h * 31 + digest.charCodeAt(k)) | 0;
  return h & (DIGEST_FILTER_SIZE - 1);
}

const TWO_32 = 2 ** 32;

/**
 * Sorts image indices newest first (by `orderT`), ties broken by digest, so results do not depend
 * on inventory order. A stable LSD radix sort on the integer millisecond times (16-bit digits: 3
 * passes for any span under 8,900 years) replaces a comparator sort that cost more than the rest
 * of the evaluation at 100k images; equal times, rare, are then ordered by digest. Times that are
 * not integers, or a span over 2^53 ms, fall back to the comparator sort.
 * @internal
 */
export function newestFirst(idx: Uint32Array, orderT: Float64Array, images: LifecycleImage[]): Uint32Array {
  const m = idx.length;
  const byDigest = (a: number, b: number) => {
    const da = images[a].imageDigest;
    const db = images[b].imageDigest;
    return da < db ? -1 : da > db ? 1 : 0;
  };
  let max = -Infinity;
  let min = Infinity;
  let integral = true;
  for (let k = 0; k < m; k++) {
    const t = orderT[idx[k]];
    if (t > max) max = t;
    if (t < min) min = t;
    if (!Number.isInteger(t)) integral = false;
  }
  const span = max - min;
  if (m < 64 || !integral || span > Number.MAX_SAFE_INTEGER) {
    return idx.sort((a, b) => (orderT[b] - orderT[a]) || byDigest(a, b));
  }
  // key = max - t, a non-negative integer split in two 32-bit halves: ascending key = newest first.
  const lo = new Uint32Array(m);
  const hi = new Uint32Array(m);
  for (let k = 0; k < m; k++) {
    const key = max - orderT[idx[k]];
    hi[k] = Math.floor(key / TWO_32);
    lo[k] = key - hi[k] * TWO_32;
  }
  const passes = span < 2 ** 16 ? 1 : span < TWO_32 ? 2 : span < 2 ** 48 ? 3 : 4;
  let src = new Uint32Array(m); // positions into lo, hi and idx
  for (let k = 0; k < m; k++) src[k] = k;
  let dst = new Uint32Array(m);
  const count = new Uint32Array(65536);
  const digit = new Uint32Array(m);
  for (let pass = 0; pass < passes && span > 0; pass++) {
    const half = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    count.fill(0);
    for (let k = 0; k < m; k++) {
      const d = (half[src[k]] >>> shift) & 0xffff;
      digit[k] = d;
      count[d]++;
    }
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let k = 0; k < m; k++) dst[count[digit[k]]++] = src[k];
    const tmp = src;
    src = dst;
    dst = tmp;
  }
  const out = new Uint32Array(m);
  for (let k = 0; k < m; k++) out[k] = idx[src[k]];
  // Runs of equal times: by digest.
  for (let start = 0; start < m;) {
    let end = start + 1;
    const t = orderT[out[start]];
    while (end < m && orderT[out[end]] === t) end++;
    if (end - start > 1) out.subarray(start, end).sort(byDigest);
    start = end;
  }
  return out;
}

/* eslint-enable no-bitwise */

function time(d: Date | undefined): number {
  return d === undefined ? NaN : d.getTime();
}

/** @internal */
export function evaluate(specs: RuleSpec[], images: LifecycleImage[], now: Date): LifecyclePreview {
  const nowMs = now.getTime();
  const rules = compile(specs, nowMs);
  const n = images.length;
  const R = rules.length;

  // Storage class per image: 0 standard, 1 archive, 2 seen by no rule.
  const cls = new Uint8Array(n);
  // Digests that are some image's subject (-1 until found in the inventory). Indexing only these
  // (not every digest), in a null-prototype dictionary (V8 internalizes its keys: later lookups of
  // the same strings compare pointers, faster than a Map here), behind a bitmap of their last
  // characters (most digests are then never looked up) cut this step from a fifth of the run to a
  // few percent.
  const subjects: Record<string, number> = Object.create(null);
  const maybeSubject = new Uint8Array(DIGEST_FILTER_SIZE);
  const referrers: number[] = [];
  let archivedCount = 0;
  // Ordering time (push, or restore when restored) for ranking and sinceImagePushed.
  const orderT = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const img = images[i];
    const status = img.imageStatus ?? 'ACTIVE';
    cls[i] = status === 'ACTIVE' ? 0 : status === 'ARCHIVED' ? 1 : 2;
    if (cls[i] === 1) archivedCount++;
    if (img.subjectManifestDigest !== undefined) {
      subjects[img.subjectManifestDigest] = -1;
      maybeSubject[digestFilterSlot(img.subjectManifestDigest)] = 1;
      referrers.push(i);
    }
    const activated = time(img.lastActivatedAt);
    orderT[i] = activated === activated ? activated : img.imagePushedAt.getTime();
  }
  const hasReferrers = referrers.length > 0;
  // subject[i] >= 0: image i is a referrer of an image in the inventory.
  const subject = new Int32Array(n).fill(-1);
  if (hasReferrers) {
    for (let i = 0; i < n; i++) {
      const d = images[i].imageDigest;
      if (maybeSubject[digestFilterSlot(d)] === 1 && subjects[d] !== undefined) subjects[d] = i; // the last image with a digest wins
    }
    for (const i of referrers) {
      const j = subjects[images[i].subjectManifestDigest!];
      if (j >= 0 && j !== i) subject[i] = j;
    }
  }

  // First matching rule per image; membership of count rules.
  const first = new Int32Array(n).fill(-1);
  const countRules: number[] = [];
  for (let r = 0; r < R; r++) if (rules[r].isCount) countRules.push(r);
  const lastCount = countRules.length ? countRules[countRules.length - 1] : -1;
  const member: Uint8Array[] = rules.map((rule) => (rule.isCount ? new Uint8Array(n) : new Uint8Array(0)));
  for (let i = 0; i < n; i++) {
    if (subject[i] >= 0 || cls[i] === 2) continue;
    const c = cls[i];
    const tags = images[i].imageTags;
    for (let r = 0; r < R; r++) {
      const rule = rules[r];
      if (rule.cls !== c) continue;
      if (first[i] >= 0 && !rule.isCount) continue;
      if (rule.match(tags)) {
        if (first[i] < 0) first[i] = r;
        if (rule.isCount) member[r][i] = 1;
      }
      if (first[i] >= 0 && r >= lastCount) break;
    }
  }

  // marked[i] = 1 when the first matching rule acts on the image.
  const marked = new Uint8Array(n);
  if (countRules.length > 0) {
    // One sort, newest first; ties broken by digest so the result is deterministic.
    const order = new Uint32Array(n);
    let m = 0;
    for (let i = 0; i < n; i++) if (first[i] >= 0 && cls[i] === 0) order[m++] = i;
    const sorted = newestFirst(order.subarray(0, m), orderT, images);
    for (const r of countRules) {
      const keep = rules[r].spec.countNumber;
      const mem = member[r];
      let seen = 0;
      for (let k = 0; k < m; k++) {
        const i = sorted[k];
        if (mem[i] === 0) continue;
        seen++;
        if (seen > keep && first[i] === r) marked[i] = 1;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const r = first[i];
    if (r < 0) continue;
    const rule = rules[r];
    if (rule.isCount) continue;
    let clock: number;
    const img = images[i];
    switch (rule.spec.countType) {
      case 'sinceImagePushed':
        clock = orderT[i];
        break;
      case 'sinceImagePulled': {
        const pulled = time(img.lastRecordedPullTime);
        const activated = time(img.lastActivatedAt);
        clock = pulled === pulled ? pulled : img.imagePushedAt.getTime();
        if (activated === activated && activated > clock) clock = activated;
        break;
      }
      default: // sinceImageTransitioned
        // Without lastArchivedAt the age in archive is unknown: never marked (NaN compares false).
        clock = time(img.lastArchivedAt);
    }
    if (clock < rule.thresholdMs) marked[i] = 1;
  }

  // Referrers follow their subject (chains: a signature of an SBOM follows the SBOM's subject).
  const applied = new Int32Array(n).fill(-1); // rule index acting on the image
  for (let i = 0; i < n; i++) if (marked[i]) applied[i] = first[i];
  if (hasReferrers) {
    for (let i = 0; i < n; i++) {
      if (subject[i] < 0) continue;
      let j = subject[i];
      let hops = 0;
      while (subject[j] >= 0 && hops++ < 64) j = subject[j];
      if (applied[j] >= 0) applied[i] = applied[j];
    }
  }

  const results: LifecyclePreviewResult[] = [];
  const perRuleExpire = new Array<number>(R).fill(0);
  const perRuleTransition = new Array<number>(R).fill(0);
  let expiring = 0;
  let transitioning = 0;
  for (let i = 0; i < n; i++) {
    const r = applied[i];
    if (r < 0) continue;
    const img = images[i];
    const rule = rules[r];
    if (rule.action === LifecyclePreviewActionType.EXPIRE) {
      expiring++;
      perRuleExpire[r]++;
    } else {
      transitioning++;
      perRuleTransition[r]++;
    }
    results.push({
      imageDigest: img.imageDigest,
      imageTags: img.imageTags ? img.imageTags.slice() : [],
      imagePushedAt: img.imagePushedAt,
      action: rule.action === LifecyclePreviewActionType.EXPIRE ? EXPIRE_ACTION : TRANSITION_ACTION,
      appliedRulePriority: rule.priority,
      storageClass: cls[i] === 1 ? LifecyclePreviewStorageClass.ARCHIVE : LifecyclePreviewStorageClass.STANDARD,
    });
  }

  const ruleSummaries: LifecyclePreviewRuleSummary[] = rules.map((rule, r) => ({
    rulePriority: rule.priority,
    description: rule.spec.description,
    expiringImageCount: perRuleExpire[r],
    transitioningImageCount: perRuleTransition[r],
  }));

  return {
    previewResults: results,
    summary: {
      expiringImageTotalCount: expiring,
      transitioningImageTotalCount: transitioning,
      imageTotalCount: n,
      rules: ruleSummaries,
    },
    warnings: warnings(rules, images, cls, subject, applied, archivedCount, nowMs),
  };
}

function warnings(rules: CompiledRule[], images: LifecycleImage[], cls: Uint8Array, subject: Int32Array,
  applied: Int32Array, archivedCount: number, nowMs: number): LifecyclePreviewWarning[] {
  const out: LifecyclePreviewWarning[] = [];
  const n = images.length;
  const isExpire = (i: number) => applied[i] >= 0 && rules[applied[i]].action === LifecyclePreviewActionType.EXPIRE;

  // Whole repository: no image left, or no pullable (standard) image left.
  let subjects = 0;
  let survivors = 0;
  let standard = 0;
  let standardLeft = 0;
  for (let i = 0; i < n; i++) {
    if (subject[i] >= 0) continue;
    subjects++;
    if (!isExpire(i)) survivors++;
    if (cls[i] === 0) {
      standard++;
      if (applied[i] < 0) standardLeft++;
    }
  }
  if (subjects > 0 && survivors === 0) {
    out.push({ code: 'NoImageLeft', message: `the policy would expire all ${subjects} images of the repository, leaving nothing to roll back to; add a first rule that keeps the newest images, e.g. LifecycleRule.keepNewest({ count: 10 })` });
  } else if (standard > 0 && standardLeft === 0) {
    out.push({ code: 'NoPullableImageLeft', message: `the policy would expire or archive all ${standard} active images, so nothing could be pulled; keep the newest images in a higher-priority rule` });
  }

  // Per tag selection of tagged standard rules: would it leave no pullable image?
  const seen = new Set<string>();
  for (const rule of rules) {
    if (rule.spec.tagStatus !== 'tagged' || rule.cls !== 0) continue;
    const key = JSON.stringify(rule.spec.tagPatternList ?? rule.spec.tagPrefixList);
    if (seen.has(key)) continue;
    seen.add(key);
    // Survivors first: one surviving match settles it (usually after a few images).
    let left = false;
    for (let i = 0; i < n && !left; i++) {
      if (subject[i] < 0 && cls[i] === 0 && applied[i] < 0 && rule.match(images[i].imageTags)) left = true;
    }
    if (left) continue;
    let matched = 0;
    for (let i = 0; i < n; i++) {
      if (subject[i] < 0 && cls[i] === 0 && rule.match(images[i].imageTags)) matched++;
    }
    if (matched > 0) {
      const what = rule.spec.tagPatternList ? `tagPatternList ${key}` : `tagPrefixList ${key}`;
      out.push({ code: 'TagSelectionLeftEmpty', message: `rule ${rule.priority}: no active image tagged ${what} would be left (${matched} expired or archived); keep the newest of them with a higher-priority imageCountMoreThan rule` });
    }
  }

  // Recently pulled images that would be expired, or archived (an archived image cannot be
  // pulled until it is restored).
  const recent = nowMs - RECENT_PULL_DAYS * DAY_MS;
  const hot: string[] = [];
  const cold: string[] = [];
  for (let i = 0; i < n; i++) {
    if (subject[i] >= 0 || applied[i] < 0) continue;
    const pulled = time(images[i].lastRecordedPullTime);
    if (pulled === pulled && pulled >= recent) (isExpire(i) ? hot : cold).push(images[i].imageDigest);
  }
  const some = (digests: string[]) => `${digests.slice(0, 3).join(', ')}${digests.length > 3 ? ', ...' : ''}`;
  if (hot.length > 0) {
    out.push({ code: 'RecentlyPulledImageExpired', message: `${hot.length} image(s) pulled in the last ${RECENT_PULL_DAYS} days would be expired (${some(hot)}); something may still run them: protect their tags with a higher-priority rule` });
  }
  if (cold.length > 0) {
    out.push({ code: 'RecentlyPulledImageArchived', message: `${cold.length} image(s) pulled in the last ${RECENT_PULL_DAYS} days would be archived (${some(cold)}) and could not be pulled until restored; something may still run them: keep more images in standard storage or protect their tags` });
  }

  if (archivedCount === 0 && rules.some((r) => r.cls === 1)) {
    out.push({ code: 'NoArchivedImagesInInventory', message: 'the policy has archive storage class rules but the inventory holds no archived image; aws ecr describe-images lists only active images unless given --filter imageStatus=ANY' });
  }
  for (const rule of rules) {
    if (rule.spec.countUnit !== undefined && rule.spec.countUnit !== 'days') {
      out.push({ code: 'UnknownCountUnit', message: `rule ${rule.priority}: countUnit "${rule.spec.countUnit}" is not documented; the preview counts it as days` });
    }
  }
  return out;
}
