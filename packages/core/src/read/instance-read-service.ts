import type { InstanceView } from '@stratus/plugin-api';
import { inject, injectable } from 'tsyringe';
import type { ReadModelRegistry } from '../providers/read-model-registry.js';
import type { CallerAccess } from '../security/caller-access.js';
import { READ_MODEL_REGISTRY } from '../tokens.js';
import { canReadResourceApplication } from '../security/resource-application.js';

/** `GET /instances/{account}/{region}/{id}` over every provider's instance model. */
@injectable()
export class InstanceReadService {
  constructor(@inject(READ_MODEL_REGISTRY) private readonly registry: ReadModelRegistry) {}

  /** The first provider's match, or undefined when missing, in an account the caller cannot READ or of an application it cannot READ. */
  async get(access: CallerAccess, account: string, region: string, id: string): Promise<InstanceView | undefined> {
    if (!access.canReadAccount(account)) return undefined;
    for (const { model } of this.registry.all('instances')) {
      const instance = await model.getInstance(account, region, id);
      // An instance of an application the caller may not READ is missing, as a server group of it is.
      if (instance) return canReadResourceApplication(access, instance, { ownName: false }) ? instance : undefined;
    }
    return undefined;
  }
}
