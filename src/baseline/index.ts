export * from './registry-baseline';
