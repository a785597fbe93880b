export * from './registry-baseline';
export * from './ecr-repository-guardrail';
