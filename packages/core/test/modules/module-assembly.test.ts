import { createToken, type Logger } from '@stratus/plugin-api';
import { container as rootContainer, inject, injectable } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { createExtensionPoint, defineModule, Lifecycle, ModuleAssembly, ModuleAssemblyError, type ModuleConfigSchema } from '../../src/modules/index.js';

const GREETING = createToken<string>('test.greeting');
const GREETER = createToken<Greeter>('test.greeter');
const NAMES = createExtensionPoint<string>('test.names');

class Greeter {
  constructor(private readonly greeting: string) {}
  greet(name: string): string {
    return `${this.greeting}, ${name}`;
  }
}
// Test files are not compiled with decorator support; this is what `@injectable()` and `@inject(GREETING)` do.
inject(GREETING)(Greeter, undefined, 0);
injectable()(Greeter);

/** A zod-like schema (core has no zod): `{ word }`, a non-empty string, `hello` by default. */
const greetingSchema: ModuleConfigSchema<{ word: string }> = {
  safeParse(input) {
    const word = (input as { word?: unknown }).word ?? 'hello';
    if (typeof word === 'string' && word.length > 0) return { success: true, data: { word } };
    return { success: false, error: { issues: [{ path: ['word'], message: 'expected a non-empty string' }] } };
  },
};

const greetingModule = defineModule({
  id: 'test.greeting',
  config: { key: 'greeting', schema: greetingSchema },
  register({ config, bind }) {
    bind(GREETING, config.word);
  },
});

const assemblyOf = (root: Record<string, unknown> = {}) => new ModuleAssembly({ root, container: rootContainer.createChildContainer() });

describe('ModuleAssembly', () => {
  it('parses each module config section and resolves deps bound by earlier modules', async () => {
    const assembly = assemblyOf({ greeting: { word: 'hi' } });
    let greeted = '';
    assembly.add(
      greetingModule,
      defineModule({ id: 'test.greeter', register: ({ bindClass }) => bindClass(GREETER, Greeter) }),
      defineModule({
        id: 'test.user',
        deps: { greeter: GREETER },
        register: ({ deps }) => {
          greeted = deps.greeter.greet('ops');
        },
      }),
    );
    await assembly.register();
    expect(greeted).toBe('hi, ops');
    expect(assembly.registered).toEqual(['test.greeting', 'test.greeter', 'test.user']);
    expect(assembly.binderOf(GREETING)).toBe('test.greeting');
  });

  it('refuses a token bound by two modules, naming both', async () => {
    const assembly = assemblyOf().add(greetingModule, defineModule({ id: 'test.other-greeting', register: ({ bind }) => bind(GREETING, 'yo') }));
    await expect(assembly.register()).rejects.toThrow(
      new ModuleAssemblyError('token "test.greeting" is bound by both "test.greeting" and "test.other-greeting"; exactly one module may bind it'),
    );
  });

  it('names the module and the dep when a dependency was not bound before it', async () => {
    const assembly = assemblyOf().add(defineModule({ id: 'test.user', deps: { greeter: GREETER }, register: () => undefined }));
    await expect(assembly.register()).rejects.toThrow('module "test.user" needs token "test.greeter" (deps.greeter), which no module listed before it bound');
  });

  it('reports a bad config section with the field path and the module', async () => {
    const assembly = new ModuleAssembly({
      root: { greeting: { word: '' } },
      container: rootContainer.createChildContainer(),
      configError: (message) => new RangeError(message),
    }).add(greetingModule);
    await expect(assembly.register()).rejects.toThrow(RangeError);
    await expect(
      new ModuleAssembly({ root: { greeting: { word: '' } }, container: rootContainer.createChildContainer() }).add(greetingModule).register(),
    ).rejects.toThrow(/greeting\.word: .*\(read by module "test.greeting"\)/);
  });

  it('skips disabled modules and collects contributions in module order', async () => {
    const assembly = assemblyOf({ second: false });
    let collected: readonly string[] = [];
    assembly.add(
      defineModule({ id: 'a', register: ({ contribute }) => contribute(NAMES, 'first') }),
      defineModule({ id: 'b', enabled: (root: Record<string, unknown>) => root.second !== false, register: ({ contribute }) => contribute(NAMES, 'second') }),
      defineModule({ id: 'c', register: ({ contribute }) => contribute(NAMES, 'third') }),
      defineModule({ id: 'reader', register: ({ collect }) => void (collected = collect(NAMES)) }),
    );
    await assembly.register();
    expect(collected).toEqual(['first', 'third']);
    expect(assembly.registered).toEqual(['a', 'c', 'reader']);
  });

  it('refuses the same module listed twice', () => {
    expect(() => assemblyOf().add(greetingModule, greetingModule)).toThrow('module "test.greeting" is listed twice');
  });
});

describe('Lifecycle', () => {
  const silent = { warn: () => undefined, info: () => undefined } as unknown as Logger;

  it('shuts down stage by stage, last registered first within a stage, once', async () => {
    const lifecycle = new Lifecycle(silent);
    const order: string[] = [];
    lifecycle.onShutdown('pool', () => void order.push('pool'), 'storage');
    lifecycle.onShutdown('store', () => void order.push('store'), 'storage');
    lifecycle.onShutdown('http', () => void order.push('http'), 'listeners');
    lifecycle.onShutdown('drain', () => void order.push('drain'), 'work');
    lifecycle.onShutdown('timers', () => void order.push('timers'), 'intake');
    lifecycle.onShutdown(
      'broken',
      () => {
        throw new Error('boom');
      },
      'accounts',
    );
    await Promise.all([lifecycle.shutdown(), lifecycle.shutdown()]);
    expect(order).toEqual(['timers', 'drain', 'http', 'store', 'pool']);
  });

  it('shuts down what registered when a start hook fails, and rethrows', async () => {
    const lifecycle = new Lifecycle(silent);
    const order: string[] = [];
    lifecycle.onStart('sync', () => void order.push('start sync'));
    lifecycle.onStart('listen', () => {
      throw new Error('port in use');
    });
    lifecycle.onStart('never', () => void order.push('never'));
    lifecycle.onShutdown('store', () => void order.push('close store'));
    await expect(lifecycle.start()).rejects.toThrow('port in use');
    expect(order).toEqual(['start sync', 'close store']);
    expect(lifecycle.started).toBe(false);
  });

  it('stops a reload at the hook that aborts it', async () => {
    const lifecycle = new Lifecycle(silent);
    const order: string[] = [];
    let fileOk = false;
    lifecycle.onReload('config', () => (fileOk ? undefined : 'abort'));
    lifecycle.onReload('accounts', () => void order.push('sync'));
    expect(await lifecycle.reload()).toBe(false);
    fileOk = true;
    expect(await lifecycle.reload()).toBe(true);
    expect(order).toEqual(['sync']);
  });
});
