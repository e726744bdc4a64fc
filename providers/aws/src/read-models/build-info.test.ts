import { describe, expect, it } from 'vitest';
import { buildInfoOf } from './views.js';

describe('buildInfo from the appversion tag', () => {
  it('parses package, version, commit and the Jenkins job as Clouddriver does', () => {
    expect(buildInfoOf({ appversion: 'shop-1.0.0-h12.3f2a9c1/shop-build/12', build_host: 'https://jenkins.example/' })).toEqual({
      package_name: 'shop',
      version: '1.0.0',
      commit: '3f2a9c1',
      jenkins: { name: 'shop-build', number: '12', host: 'https://jenkins.example/' },
    });
    expect(buildInfoOf({ appversion: 'my-app-2.3.4-h7.abc' })).toEqual({ package_name: 'my-app', version: '2.3.4', commit: 'abc' });
  });

  it('gives nothing for a missing or unparseable tag', () => {
    expect(buildInfoOf({})).toBeUndefined();
    expect(buildInfoOf({ appversion: 'no version here' })).toBeUndefined();
  });
});
