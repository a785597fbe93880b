export * from './secure-repository';
