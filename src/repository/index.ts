export * from './secure-repository-base';
export * from './secure-repository';
export * from './secure-public-repository';
