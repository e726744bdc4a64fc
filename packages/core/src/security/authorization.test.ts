import { describe, expect, it } from 'vitest';
import { scopedRequestId, unscopedRequestId } from '../tasks/client-request-id.js';
import { canReadAccountData, canReadTask, canWriteTask } from './authorization.js';
import type { CallerAccess } from './caller-access.js';
import { accessFromFiat } from './fiat-access-resolver.js';
import { redactErrorMessage } from './redact-error-message.js';

const caller = (user: string | undefined, read: string[], write: string[] = read, admin = false): CallerAccess => ({
  ...(user ? { user } : {}),
  roles: [],
  admin,
  canReadAccount: (account) => read.includes(account),
  canWriteAccount: (account) => write.includes(account),
});

describe('task authorization', () => {
  const task = { scope: { user: 'dave', accounts: ['dev', 'shared'], applications: [] } };

  it('needs READ (resp. WRITE) on every account the task touches', () => {
    expect(canReadTask(caller('x', ['dev', 'shared']), task)).toBe(true);
    expect(canReadTask(caller('dave', ['dev']), task)).toBe(false);
    expect(canWriteTask(caller('x', ['dev', 'shared'], ['dev']), task)).toBe(false);
    expect(canWriteTask(caller('x', ['dev', 'shared'], ['dev', 'shared']), task)).toBe(true);
  });

  it('leaves a task that touches nothing to its creator, and one stored without a scope to admins', () => {
    const empty = { scope: { user: 'dave', accounts: [], applications: [] } };
    expect(canReadTask(caller('dave', []), empty)).toBe(true);
    expect(canReadTask(caller('eve', []), empty)).toBe(false);
    expect(canReadTask(caller(undefined, []), empty)).toBe(false);
    expect(canReadTask(caller('dave', ['dev', 'shared']), {})).toBe(false);
    expect(canReadTask(caller('root', [], [], true), {})).toBe(true);
  });

  it('needs application permissions too when the caller has them (Fiat)', () => {
    const withApp = { scope: { accounts: ['dev'], applications: ['shop'] } };
    const fiat = accessFromFiat('dave', {
      accounts: [{ name: 'dev', authorizations: ['READ', 'WRITE'] }],
      applications: [{ name: 'shop', authorizations: ['READ'] }],
    });
    expect(canReadTask(fiat, withApp)).toBe(true);
    expect(canWriteTask(fiat, withApp)).toBe(false);
  });

  it('shows data of no account to everyone and of an account to its readers', () => {
    expect(canReadAccountData(caller(undefined, []), undefined)).toBe(true);
    expect(canReadAccountData(caller(undefined, []), 'dev')).toBe(false);
  });
});

describe('scoped request ids', () => {
  it('keeps callers apart and gives the id back as sent', () => {
    const ids = [
      scopedRequestId('alice', 'r1'),
      scopedRequestId('bob', 'r1'),
      scopedRequestId(undefined, 'r1'),
      scopedRequestId('anon', 'r1'),
      scopedRequestId('a;b', 'c'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    // A crafted id cannot reach another caller's key.
    expect(scopedRequestId(undefined, 'u=alice;r1')).not.toBe(scopedRequestId('alice', 'r1'));
    expect(scopedRequestId('alice;x', 'r1')).not.toBe(scopedRequestId('alice', 'x;r1'));
    for (const id of ids) expect(unscopedRequestId(id)).toBe(id.endsWith(';c') ? 'c' : 'r1');
    expect(unscopedRequestId('legacy-id')).toBe('legacy-id');
    const long = `${'someone.with.a.very.long.name'.repeat(4)}@example.com`;
    const scoped = scopedRequestId(long, 'x'.repeat(200));
    expect(scoped.length).toBeLessThanOrEqual(255);
    expect(scoped).not.toBe(scopedRequestId(`${long}2`, 'x'.repeat(200)));
    expect(unscopedRequestId(scoped)).toBe('x'.repeat(200));
  });
});

describe('accessFromFiat', () => {
  it('follows FiatPermissionEvaluator: case-insensitive names, admin, unknown applications, legacy fallback', () => {
    const view = {
      name: 'dave',
      accounts: [{ name: 'Prod', authorizations: ['READ'] }],
      applications: [{ name: 'Shop', authorizations: ['READ', 'WRITE'] }],
      roles: [{ name: 'dev' }],
    };
    const dave = accessFromFiat('dave', view);
    expect(dave.canReadAccount('prod')).toBe(true);
    expect(dave.canWriteAccount('prod')).toBe(false);
    expect(dave.canAccessApplication!('shop', 'WRITE')).toBe(true);
    expect(dave.canAccessApplication!('shop', 'EXECUTE')).toBe(false);
    expect(dave.canAccessApplication!('other', 'READ')).toBe(false);
    expect(dave.roles).toEqual(['dev']);
    const open = accessFromFiat('dave', { ...view, allowAccessToUnknownApplications: true });
    expect(open.canAccessApplication!('other', 'WRITE')).toBe(true);
    expect(open.canAccessApplication!('shop', 'EXECUTE')).toBe(false);
    expect(accessFromFiat('dave', { ...view, legacyFallback: true }).canAccessApplication!('any', 'WRITE')).toBe(true);
    const admin = accessFromFiat('root', { admin: true });
    expect(admin.canWriteAccount('anything')).toBe(true);
    const nobody = accessFromFiat(undefined, undefined);
    expect(nobody.canReadAccount('prod')).toBe(false);
    expect(nobody.canAccessApplication!('shop', 'READ')).toBe(false);
  });
});

describe('redactErrorMessage', () => {
  it('keeps the first line and drops file text, remote bodies and long quoted excerpts', () => {
    expect(redactErrorMessage(new Error('bad indentation of a mapping entry (7:4)\n\n 6 |   password: hunter2\n 7 | x'))).toBe(
      'bad indentation of a mapping entry (7:4)',
    );
    expect(redactErrorMessage(new Error('HTTP-Code: 401 Message: Unauthorized Body: {"token":"s3cr3t"}'))).toBe(
      'HTTP-Code: 401 Message: Unauthorized Body: [redacted]',
    );
    expect(redactErrorMessage(new SyntaxError(`Unexpected token 'p', "password=hunter2-super-secret" is not valid JSON`))).not.toContain('hunter2');
    expect(redactErrorMessage(new Error('connect ECONNREFUSED 127.0.0.1:6443'))).toBe('connect ECONNREFUSED 127.0.0.1:6443');
    expect(redactErrorMessage(new Error('x'.repeat(1000))).length).toBeLessThanOrEqual(301);
  });
});
