/** A module list that cannot be assembled: a token bound twice, a missing dependency, bad config. */
export class ModuleAssemblyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModuleAssemblyError';
  }
}
