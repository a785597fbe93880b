/**
 * An ECR lifecycle policy (placeholder: the typed rule engine replaces this file).
 */
export class LifecyclePolicy {
  /**
   * Parses an ECR lifecycle policy document (`{"rules":[...]}`).
   */
  public static fromJson(json: string): LifecyclePolicy {
    const doc = JSON.parse(json);
    if (!doc || !Array.isArray(doc.rules) || doc.rules.length === 0) {
      throw new Error('InvalidLifecyclePolicy: a lifecycle policy needs a non-empty "rules" array');
    }
    return new LifecyclePolicy(JSON.stringify(doc));
  }

  /**
   * The library's default: expire untagged images 7 days after push, and keep the 100 most recent
   * tagged images.
   */
  public static secureDefault(): LifecyclePolicy {
    return LifecyclePolicy.fromJson(JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          description: 'Expire untagged images 7 days after push',
          selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
          action: { type: 'expire' },
        },
        {
          rulePriority: 2,
          description: 'Keep the 100 most recent images',
          selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 },
          action: { type: 'expire' },
        },
      ],
    }));
  }

  private constructor(private readonly text: string) {}

  /**
   * The JSON document ECR accepts (`LifecyclePolicyText`).
   */
  public render(): string {
    return this.text;
  }
}
