import { Token } from 'aws-cdk-lib';
import { SecureRegistryError, ValidationProblem } from '../private/errors';

/*
 * Internal model of one ECR lifecycle rule, exactly as the policy document spells it, plus the
 * validation of every rule ECR documents. Not exported from the package: the public types are
 * `LifecycleRule` / `LifecyclePolicy`, which build and read these specs.
 *
 * Sources (the short names in brackets are used in the comments below):
 * - https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html (UG-LC-PROPS)
 * - https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html (UG-LC-HOW, evaluation rules)
 * - https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html (UG-LC-EX)
 * - https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html (UG-QUOTA)
 */

/** One lifecycle rule, with ECR's property names. */
export interface RuleSpec {
  readonly rulePriority?: number;
  readonly description?: string;
  readonly tagStatus: string;
  readonly tagPatternList?: string[];
  readonly tagPrefixList?: string[];
  readonly storageClass?: string;
  readonly countType: string;
  readonly countUnit?: string;
  readonly countNumber: number;
  readonly actionType: string;
  readonly targetStorageClass?: string;
}

/** Rules per lifecycle policy (UG-QUOTA, not adjustable). */
export const MAX_RULES = 50;
/** Length of the lifecycle policy text (UG-QUOTA; API/CFN LifecyclePolicyText max 30720). */
export const MAX_POLICY_LENGTH = 30720;
/** Wildcards per tagPatternList string (UG-LC-PROPS). */
export const MAX_WILDCARDS = 4;
/** Archived images have a 90-day minimum storage duration (UG-LC-EX, UG-ARCH). */
export const ARCHIVE_MINIMUM_DAYS = 90;

const TAG_STATUSES = ['tagged', 'untagged', 'any'];
const STORAGE_CLASSES = ['standard', 'archive'];
const COUNT_TYPES = ['imageCountMoreThan', 'sinceImagePushed', 'sinceImagePulled', 'sinceImageTransitioned'];
const ACTION_TYPES = ['expire', 'transition'];

/** The storage class a rule selects: `standard` when omitted (UG-LC-PROPS). */
export function storageClassOf(spec: RuleSpec): string {
  return spec.storageClass ?? 'standard';
}

function where(spec: RuleSpec, index: number): string {
  return spec.rulePriority === undefined ? `rules[${index}]` : `rules[${index}] (rulePriority ${spec.rulePriority})`;
}

function isInt(n: unknown): boolean {
  return typeof n === 'number' && Number.isInteger(n);
}

function unresolved(v: unknown): boolean {
  return v !== undefined && v !== null && (typeof v === 'string' || typeof v === 'number') && Token.isUnresolved(v);
}

/**
 * Checks one rule on its own. Every problem names the rule, the value and the fix.
 */
export function validateRule(spec: RuleSpec, index: number): ValidationProblem[] {
  const p: ValidationProblem[] = [];
  const at = where(spec, index);
  const add = (code: string, message: string) => p.push({ code, message: `${at}: ${message}` });

  // Tokens: a lifecycle policy is a value rendered to one JSON string (LifecyclePolicyText) and
  // previewed offline, so deploy-time values cannot be carried; say so instead of rendering a
  // token's placeholder number. (Departure from the usual "skip tokens" convention, on purpose.)
  const tokens = [spec.rulePriority, spec.countNumber, spec.description, ...(spec.tagPatternList ?? []), ...(spec.tagPrefixList ?? [])]
    .filter(unresolved);
  if (tokens.length > 0) {
    add('UnresolvedToken', 'a lifecycle rule cannot hold deploy-time tokens (it is rendered to one JSON string and previewed offline); use literal values');
  }
  if (spec.rulePriority !== undefined && !unresolved(spec.rulePriority) && (!isInt(spec.rulePriority) || spec.rulePriority < 1)) {
    add('InvalidRulePriority', `rulePriority ${JSON.stringify(spec.rulePriority)} is invalid; use a positive integer (ECR's minimum is 1)`);
  }
  if (!TAG_STATUSES.includes(spec.tagStatus)) {
    add('InvalidTagStatus', `selection.tagStatus ${JSON.stringify(spec.tagStatus)} is invalid; use "tagged", "untagged" or "any"`);
  }
  const hasPattern = spec.tagPatternList !== undefined;
  const hasPrefix = spec.tagPrefixList !== undefined;
  if (hasPattern && hasPrefix) {
    add('TagListsExclusive', 'selection has both tagPatternList and tagPrefixList; a rule may specify only one of them: split it into two rules');
  }
  if (spec.tagStatus === 'tagged' && !hasPattern && !hasPrefix) {
    add('TagListRequired', 'selection.tagStatus "tagged" needs a tagPatternList or a tagPrefixList; add e.g. tagPatternList ["v*"], or use tagStatus "any"');
  }
  if ((spec.tagStatus === 'untagged' || spec.tagStatus === 'any') && (hasPattern || hasPrefix)) {
    add('TagListNotAllowed', `selection.tagStatus "${spec.tagStatus}" cannot have a ${hasPattern ? 'tagPatternList' : 'tagPrefixList'}; use tagStatus "tagged" or remove the list`);
  }
  for (const [name, list] of [['tagPatternList', spec.tagPatternList], ['tagPrefixList', spec.tagPrefixList]] as const) {
    if (list === undefined) continue;
    // ECR documents neither accepting nor rejecting empty lists and empty strings (UG-LC-PROPS):
    // not enforced.
    for (const entry of list) {
      if (unresolved(entry)) continue;
      if (typeof entry !== 'string') {
        add('InvalidTagListEntry', `selection.${name} entry ${JSON.stringify(entry)} is invalid; use a string`);
        continue;
      }
      if (name === 'tagPatternList') {
        const wildcards = entry.split('*').length - 1;
        if (wildcards > MAX_WILDCARDS) {
          add('TooManyWildcards', `selection.tagPatternList entry "${entry}" has ${wildcards} wildcards; ECR allows at most ${MAX_WILDCARDS} '*' per pattern: merge adjacent wildcards or split the pattern`);
        }
      }
    }
  }
  if (spec.storageClass !== undefined && !STORAGE_CLASSES.includes(spec.storageClass)) {
    add('InvalidStorageClass', `selection.storageClass ${JSON.stringify(spec.storageClass)} is invalid; use "standard" or "archive"`);
  }
  const countTypeOk = COUNT_TYPES.includes(spec.countType);
  if (!countTypeOk) {
    add('InvalidCountType', `selection.countType ${JSON.stringify(spec.countType)} is invalid; use one of ${COUNT_TYPES.join(', ')}`);
  }
  if (!unresolved(spec.countNumber) && (!isInt(spec.countNumber) || spec.countNumber < 1)) {
    add('InvalidCountNumber', `selection.countNumber ${JSON.stringify(spec.countNumber)} is invalid; ECR accepts positive integers only (0 is not accepted)`);
  }
  if (spec.countType === 'imageCountMoreThan' && spec.countUnit !== undefined) {
    add('CountUnitNotAllowed', `selection.countUnit "${spec.countUnit}" is not allowed with countType imageCountMoreThan; remove countUnit`);
  }
  if (countTypeOk && spec.countType !== 'imageCountMoreThan' && spec.countUnit === undefined) {
    add('CountUnitRequired', `selection.countType ${spec.countType} needs countUnit; add "countUnit": "days"`);
  }
  if (spec.countUnit !== undefined && typeof spec.countUnit !== 'string') {
    add('InvalidCountUnit', `selection.countUnit ${JSON.stringify(spec.countUnit)} is invalid; use "days"`);
  }
  // Count type / storage class (UG-LC-PROPS "storageClass").
  if (spec.countType === 'sinceImageTransitioned' && spec.storageClass !== 'archive') {
    add('ArchiveStorageClassRequired', `countType sinceImageTransitioned selects archived images and needs selection.storageClass "archive" (got ${spec.storageClass === undefined ? 'none' : `"${spec.storageClass}"`}); add "storageClass": "archive"`);
  }
  if (countTypeOk && spec.countType !== 'sinceImageTransitioned' && spec.storageClass === 'archive') {
    add('StorageClassNotSupported', `selection.storageClass "archive" is only supported with countType sinceImageTransitioned (got ${spec.countType}); use "standard" or countType sinceImageTransitioned`);
  }
  // Count type / action (UG-LC-EX "Important" boxes).
  if (!ACTION_TYPES.includes(spec.actionType)) {
    add('InvalidActionType', `action.type ${JSON.stringify(spec.actionType)} is invalid; use "expire" or "transition"`);
  }
  if (spec.countType === 'sinceImagePulled' && spec.actionType === 'expire') {
    add('CountTypeActionMismatch', 'countType sinceImagePulled can only be used with action "transition" (ECR cannot expire by pull time); transition to archive, then expire with sinceImageTransitioned');
  }
  if (spec.countType === 'sinceImageTransitioned' && spec.actionType === 'transition') {
    add('CountTypeActionMismatch', 'countType sinceImageTransitioned can only be used with action "expire"; archived images cannot be transitioned again');
  }
  if (spec.actionType === 'transition') {
    if (spec.targetStorageClass === undefined) {
      add('TargetStorageClassRequired', 'action.type "transition" needs action.targetStorageClass; add "targetStorageClass": "archive"');
    } else if (spec.targetStorageClass !== 'archive') {
      add('InvalidTargetStorageClass', `action.targetStorageClass ${JSON.stringify(spec.targetStorageClass)} is invalid; "archive" is the only supported value`);
    }
  }
  if (spec.actionType === 'expire' && spec.targetStorageClass !== undefined) {
    // ECR validates against a JSON schema with one branch per action type; an expire action
    // carrying targetStorageClass matches neither branch (not documented; PutLifecyclePolicy
    // answers "instance failed to match exactly one schema (matched 0 out of 2)").
    add('TargetStorageClassNotAllowed', `action.targetStorageClass ${JSON.stringify(spec.targetStorageClass)} is not allowed with action "expire"; remove it`);
  }
  // 90-day archive minimum (UG-LC-EX "Combining archive and expire rules", UG-ARCH).
  if (spec.countType === 'sinceImageTransitioned' && isInt(spec.countNumber) && spec.countNumber >= 1 && spec.countNumber < ARCHIVE_MINIMUM_DAYS) {
    add('ArchiveMinimumDuration', `countNumber ${spec.countNumber} days is below the ${ARCHIVE_MINIMUM_DAYS}-day minimum storage duration of archived images; lifecycle rules cannot delete images archived for less than ${ARCHIVE_MINIMUM_DAYS} days: use at least ${ARCHIVE_MINIMUM_DAYS}`);
  }
  return p;
}

/**
 * Checks the rules together (priorities, one `any` rule last, one untagged rule and unique
 * prefix sets per storage class, limits). Each rule must have its priority by now.
 */
export function validatePolicy(specs: RuleSpec[]): ValidationProblem[] {
  const p: ValidationProblem[] = [];
  if (specs.length === 0) {
    p.push({ code: 'NoRules', message: 'a lifecycle policy needs at least one rule; add a rule, or leave the lifecycle policy out' });
    return p;
  }
  if (specs.length > MAX_RULES) {
    p.push({ code: 'TooManyRules', message: `the policy has ${specs.length} rules; ECR allows at most ${MAX_RULES} per lifecycle policy (not adjustable): merge rules` });
  }
  specs.forEach((s, i) => p.push(...validateRule(s, i)));

  const byPriority = new Map<number, number>();
  specs.forEach((s, i) => {
    if (s.rulePriority === undefined) {
      p.push({ code: 'RulePriorityRequired', message: `rules[${i}]: rulePriority is required; give every rule a unique positive integer` });
      return;
    }
    if (unresolved(s.rulePriority)) return;
    const other = byPriority.get(s.rulePriority);
    if (other !== undefined) {
      p.push({ code: 'DuplicateRulePriority', message: `rules[${other}] and rules[${i}] both have rulePriority ${s.rulePriority}; priorities must be unique: renumber one of them` });
    } else {
      byPriority.set(s.rulePriority, i);
    }
  });

  // Per storage class: `any` last, one untagged rule, unique prefix sets (UG-LC-HOW; UG-LC-PROPS).
  // Choice: the "any must have the highest rulePriority" rule is enforced per storage class,
  // because AWS documents a policy with an `any`/standard rule before an `any`/archive rule
  // (UG-LC-EX, "Combining archive and expire rules"). aws-cdk-lib's single-`any` check would
  // reject that documented policy.
  for (const cls of STORAGE_CLASSES) {
    const inClass = specs.map((s, i) => ({ s, i })).filter(({ s }) => storageClassOf(s) === cls && isInt(s.rulePriority));
    const maxPriority = Math.max(...inClass.map(({ s }) => s.rulePriority!));
    for (const { s, i } of inClass) {
      if (s.tagStatus === 'any' && s.rulePriority! < maxPriority) {
        p.push({ code: 'AnyRuleNotLast', message: `${where(s, i)}: a rule with tagStatus "any" must have the highest rulePriority of the ${cls} storage class rules (highest is ${maxPriority}); give it a priority above ${maxPriority} or list it last` });
      }
    }
    const untagged = inClass.filter(({ s }) => s.tagStatus === 'untagged');
    if (untagged.length > 1) {
      p.push({ code: 'DuplicateUntaggedRule', message: `rules ${untagged.map(({ s }) => s.rulePriority).join(' and ')} both select untagged ${cls} images; only one rule per storage class may select untagged images: merge them` });
    }
    const prefixSets = new Map<string, number>();
    for (const { s } of inClass) {
      if (!s.tagPrefixList || s.tagPrefixList.length === 0) continue;
      const key = JSON.stringify([...new Set(s.tagPrefixList)].sort());
      const other = prefixSets.get(key);
      if (other !== undefined) {
        p.push({ code: 'DuplicateTagPrefixList', message: `rules ${other} and ${s.rulePriority} select the same tagPrefixList ${key} in the ${cls} storage class; the prefix sets of a storage class must be unique: merge the rules or change one list` });
      } else {
        prefixSets.set(key, s.rulePriority!);
      }
    }
  }
  return p;
}

/** Renders one rule with ECR's key order, omitting absent keys (never `null`). */
export function renderRule(spec: RuleSpec): Record<string, unknown> {
  const selection: Record<string, unknown> = { tagStatus: spec.tagStatus };
  if (spec.tagPatternList !== undefined) selection.tagPatternList = [...spec.tagPatternList];
  if (spec.tagPrefixList !== undefined) selection.tagPrefixList = [...spec.tagPrefixList];
  if (spec.storageClass !== undefined) selection.storageClass = spec.storageClass;
  selection.countType = spec.countType;
  if (spec.countUnit !== undefined) selection.countUnit = spec.countUnit;
  selection.countNumber = spec.countNumber;
  const action: Record<string, unknown> = { type: spec.actionType };
  if (spec.targetStorageClass !== undefined) action.targetStorageClass = spec.targetStorageClass;
  const rule: Record<string, unknown> = { rulePriority: spec.rulePriority };
  if (spec.description !== undefined) rule.description = spec.description;
  rule.selection = selection;
  rule.action = action;
  return rule;
}

const RULE_KEYS = ['rulePriority', 'description', 'selection', 'action'];
const SELECTION_KEYS = ['tagStatus', 'tagPatternList', 'tagPrefixList', 'storageClass', 'countType', 'countUnit', 'countNumber'];
const ACTION_KEYS = ['type', 'targetStorageClass'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads a policy document into specs, reporting type errors. Unknown keys are rejected: ECR
 * validates the text against a JSON schema (not documented; PutLifecyclePolicy reports "failed
 * to match exactly one schema") and `render()` must give back
 * exactly what was parsed.
 */
export function parsePolicyDocument(doc: unknown, problems: ValidationProblem[]): RuleSpec[] {
  if (!isObject(doc)) {
    problems.push({ code: 'InvalidPolicyDocument', message: `a lifecycle policy must be a JSON object {"rules":[...]}, got ${Array.isArray(doc) ? 'an array' : JSON.stringify(doc)}` });
    return [];
  }
  for (const k of Object.keys(doc)) {
    if (k !== 'rules') problems.push({ code: 'UnknownProperty', message: `unknown top-level property "${k}"; a lifecycle policy has only "rules"` });
  }
  if (!Array.isArray(doc.rules)) {
    problems.push({ code: 'NoRules', message: 'a lifecycle policy needs a non-empty "rules" array' });
    return [];
  }
  const specs: RuleSpec[] = [];
  doc.rules.forEach((raw: unknown, i: number) => {
    if (!isObject(raw)) {
      problems.push({ code: 'InvalidRule', message: `rules[${i}] must be an object, got ${JSON.stringify(raw)}` });
      return;
    }
    const bad = (code: string, message: string) => problems.push({ code, message: `rules[${i}]: ${message}` });
    for (const k of Object.keys(raw)) if (!RULE_KEYS.includes(k)) bad('UnknownProperty', `unknown property "${k}"; a rule has ${RULE_KEYS.join(', ')}`);
    const sel = raw.selection;
    const act = raw.action;
    if (!isObject(sel)) {
      bad('SelectionRequired', 'selection is required: an object with tagStatus, countType and countNumber');
      return;
    }
    if (!isObject(act)) {
      bad('ActionRequired', 'action is required: {"type": "expire"} or {"type": "transition", "targetStorageClass": "archive"}');
      return;
    }
    for (const k of Object.keys(sel)) if (!SELECTION_KEYS.includes(k)) bad('UnknownProperty', `unknown property "selection.${k}"; a selection has ${SELECTION_KEYS.join(', ')}`);
    for (const k of Object.keys(act)) if (!ACTION_KEYS.includes(k)) bad('UnknownProperty', `unknown property "action.${k}"; an action has ${ACTION_KEYS.join(', ')}`);
    if (raw.description !== undefined && typeof raw.description !== 'string') {
      bad('InvalidDescription', `description ${JSON.stringify(raw.description)} must be a string`);
    }
    const list = (name: string): string[] | undefined => {
      const v = sel[name];
      if (v === undefined) return undefined;
      if (!Array.isArray(v)) {
        bad('InvalidTagListEntry', `selection.${name} must be a list of strings, got ${JSON.stringify(v)}`);
        return undefined;
      }
      return v as string[];
    };
    const str = (v: unknown, name: string): string | undefined => {
      if (v === undefined) return undefined;
      if (v === null) return 'null'; // ECR rejects null values; the rule checks name the fix
      if (typeof v !== 'string') {
        bad('InvalidPropertyType', `${name} ${JSON.stringify(v)} must be a string`);
        return String(v);
      }
      return v;
    };
    if (sel.tagStatus === undefined) bad('TagStatusRequired', 'selection.tagStatus is required; use "tagged", "untagged" or "any"');
    if (sel.countType === undefined) bad('CountTypeRequired', 'selection.countType is required; use imageCountMoreThan, sinceImagePushed, sinceImagePulled or sinceImageTransitioned');
    if (sel.countNumber === undefined) bad('CountNumberRequired', 'selection.countNumber is required; use a positive integer');
    if (act.type === undefined) bad('ActionTypeRequired', 'action.type is required; use "expire" or "transition"');
    if (sel.tagStatus === undefined || sel.countType === undefined || sel.countNumber === undefined || act.type === undefined) return;
    specs.push({
      rulePriority: raw.rulePriority as number | undefined,
      description: raw.description as string | undefined,
      tagStatus: str(sel.tagStatus, 'selection.tagStatus')!,
      tagPatternList: list('tagPatternList'),
      tagPrefixList: list('tagPrefixList'),
      storageClass: str(sel.storageClass, 'selection.storageClass'),
      countType: str(sel.countType, 'selection.countType')!,
      countUnit: sel.countUnit as string | undefined,
      countNumber: sel.countNumber as number,
      actionType: str(act.type, 'action.type')!,
      targetStorageClass: str(act.targetStorageClass, 'action.targetStorageClass'),
    });
  });
  return specs;
}

/** Throws one `SecureRegistryError` listing every problem (no construct scope: rules are values). */
export function throwProblems(problems: ValidationProblem[]): void {
  SecureRegistryError.throwIfAny(undefined, problems);
}
