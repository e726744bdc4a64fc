import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/read/not-found-error.js';
import { selectTargetServerGroup, type TargetSelection } from '../../src/read/target-server-group.js';
import { instance, serverGroup } from './fixtures.js';

const base: TargetSelection = {
  target: 'current',
  scope: 'us-east-1',
  onlyEnabled: false,
  validateOldest: true,
  account: 'prod',
  cluster: 'app-main',
  cloudProvider: 'aws',
};

const v001 = serverGroup('app-main-v001', { createdTime: 1000, instances: [instance('i-1'), instance('i-2')] });
const v002 = serverGroup('app-main-v002', { createdTime: 2000, instances: [instance('i-3'), instance('i-4')] });
const v003 = serverGroup('app-main-v003', { createdTime: 3000, disabled: true, instances: [instance('i-5')] });
const west = serverGroup('app-main-v004', { createdTime: 4000, region: 'us-west-2', zones: ['us-west-2a'] });
const noTime = serverGroup('app-main-v005', { createdTime: undefined });
const all = [v001, v003, west, v002, noTime];

function pick(overrides: Partial<TargetSelection>, groups = all) {
  return selectTargetServerGroup(groups, { ...base, ...overrides }).name;
}

describe('selectTargetServerGroup', () => {
  it('current is the newest server group in the region, ignoring other regions and groups without createdTime', () => {
    expect(pick({ target: 'current' })).toBe('app-main-v003');
    expect(pick({ target: 'CURRENT' })).toBe('app-main-v003');
  });

  it('previous is the second newest and 404s when only one candidate exists', () => {
    expect(pick({ target: 'previous' })).toBe('app-main-v002');
    expect(() => pick({ target: 'previous' }, [v001])).toThrow(NotFoundError);
    expect(() => pick({ target: 'previous' }, [v001])).toThrow('Target not found (target: previous)');
  });

  it('oldest is the last one; a single candidate is 404 unless validateOldest=false', () => {
    expect(pick({ target: 'oldest' })).toBe('app-main-v001');
    expect(() => pick({ target: 'oldest' }, [v002])).toThrow('Target not found (target: oldest)');
    expect(pick({ target: 'oldest', validateOldest: false }, [v002])).toBe('app-main-v002');
  });

  it('largest picks the most instances and the newest on a tie', () => {
    expect(pick({ target: 'largest' })).toBe('app-main-v002');
    const bigOld = serverGroup('app-main-v000', { createdTime: 500, instances: [instance('a'), instance('b'), instance('c')] });
    expect(pick({ target: 'largest' }, [...all, bigOld])).toBe('app-main-v000');
  });

  it('fail returns the only candidate and 404s naming the candidates when there are several', () => {
    expect(pick({ target: 'fail' }, [v001, west])).toBe('app-main-v001');
    expect(() => pick({ target: 'fail' })).toThrow(
      /More than one target found \(scope: us-east-1, serverGroups: \[app-main-v003, app-main-v002, app-main-v001\]\)/,
    );
  });

  it('onlyEnabled leaves disabled server groups out (disabled or isDisabled)', () => {
    expect(pick({ target: 'current', onlyEnabled: true })).toBe('app-main-v002');
    const isDisabled = serverGroup('app-main-v009', { createdTime: 9000, isDisabled: true });
    expect(pick({ target: 'current', onlyEnabled: true }, [...all, isDisabled])).toBe('app-main-v002');
  });

  it('scope may be a zone', () => {
    expect(pick({ target: 'current', scope: 'us-west-2a' })).toBe('app-main-v004');
    expect(pick({ target: 'current', scope: 'us-east-1b' })).toBe('app-main-v003');
  });

  it('404s for an unknown target and when nothing is in scope', () => {
    expect(() => pick({ target: 'newest' })).toThrow('Target not found (target: newest)');
    expect(() => pick({ scope: 'eu-west-1' })).toThrow('No server groups found (account: prod, scope: eu-west-1, cluster: app-main, type: aws)');
    expect(() => pick({}, [noTime])).toThrow(NotFoundError);
  });
});
