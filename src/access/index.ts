export * from './github-actions-push-role';
export * from './registry-pull-role';
export * from './repository-pull-statements';
