import {
  LifecycleImage, LifecyclePreview, LifecyclePreviewActionType, LifecyclePreviewResult,
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
      if (star === p.length - 1 && p.indexOf('*') === star) {
        const prefix = p.slice(0, -1);
        return (t: string) => t.startsWith(prefix);
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
  const digestIndex = new Map<string, number>();
  let hasReferrers = false;
  let archivedCount = 0;
  for (let i = 0; i < n; i++) {
    const img = images[i];
    const status = img.imageStatus ?? 'ACTIVE';
    cls[i] = status === 'ACTIVE' ? 0 : status === 'ARCHIVED' ? 1 : 2;
    if (cls[i] === 1) archivedCount++;
    digestIndex.set(img.imageDigest, i);
    if (img.subjectManifestDigest !== undefined) hasReferrers = true;
  }
  // subject[i] >= 0: image i is a referrer of an image in the inventory.
  const subject = new Int32Array(n).fill(-1);
  if (hasReferrers) {
    for (let i = 0; i < n; i++) {
      const s = images[i].subjectManifestDigest;
      if (s === undefined) continue;
      const j = digestIndex.get(s);
      if (j !== undefined && j !== i) subject[i] = j;
    }
  }

  // Ordering time (push, or restore when restored) for ranking and sinceImagePushed.
  const orderT = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const img = images[i];
    const activated = time(img.lastActivatedAt);
    orderT[i] = activated === activated ? activated : img.imagePushedAt.getTime();
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
    const sorted = order.subarray(0, m).sort((a, b) => (orderT[b] - orderT[a]) ||
      (images[a].imageDigest < images[b].imageDigest ? -1 : images[a].imageDigest > images[b].imageDigest ? 1 : 0));
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
      imageTags: img.imageTags ? [...img.imageTags] : [],
      imagePushedAt: img.imagePushedAt,
      action: rule.action === LifecyclePreviewActionType.EXPIRE
        ? { type: LifecyclePreviewActionType.EXPIRE }
        : { type: LifecyclePreviewActionType.TRANSITION, targetStorageClass: LifecyclePreviewStorageClass.ARCHIVE },
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

  // Recently pulled images that would be expired.
  const recent = nowMs - RECENT_PULL_DAYS * DAY_MS;
  const hot: string[] = [];
  for (let i = 0; i < n; i++) {
    if (subject[i] >= 0 || !isExpire(i)) continue;
    const pulled = time(images[i].lastRecordedPullTime);
    if (pulled === pulled && pulled >= recent) hot.push(images[i].imageDigest);
  }
  if (hot.length > 0) {
    out.push({ code: 'RecentlyPulledImageExpired', message: `${hot.length} image(s) pulled in the last ${RECENT_PULL_DAYS} days would be expired (${hot.slice(0, 3).join(', ')}${hot.length > 3 ? ', ...' : ''}); something may still run them: protect their tags with a higher-priority rule` });
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
