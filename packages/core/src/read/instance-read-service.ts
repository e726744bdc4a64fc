import type { InstanceView } from '@stratus/plugin-api';
import { inject, injectable } from 'tsyringe';
import type { ReadModelRegistry } from '../providers/read-model-registry.js';
import type { CallerAccess } from '../security/caller-access.js';
import { READ_MODEL_REGISTRY } from '../tokens.js';

/** `GET /instances/{account}/{region}/{id}` over every provider's instance model. */
@injectable()
export class InstanceReadService {
  constructor(@inject(READ_MODEL_REGISTRY) private readonly registry: ReadModelRegistry) {}

  /** The first provider's match, or undefined when missing or in an account the caller cannot READ. */
  async get(access: CallerAccess, account: string, region: string, id: string): Promise<InstanceView | undefined> {
    if (!access.canReadAccount(account)) return undefined;
    for (const { model } of this.registry.all('instances')) {
      const instance = await model.getInstance(account, region, id);
      if (instance) return instance;
    }
    return undefined;
  }
}
