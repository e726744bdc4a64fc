import { describe, expect, it } from 'vitest';
import { extractPropertiesFromLog } from './property-parser.js';

describe('extractPropertiesFromLog (Clouddriver PropertyParser semantics)', () => {
  it('reads SPINNAKER_PROPERTY_ lines and SPINNAKER_CONFIG_JSON objects', () => {
    const log = [
      'starting',
      'SPINNAKER_PROPERTY_IMAGE_TAG=1.2.3',
      '  SPINNAKER_PROPERTY_Mixed_Case = value  ',
      'SPINNAKER_PROPERTY_BROKEN=a=b',
      'SPINNAKER_PROPERTY_EMPTY=',
      'SPINNAKER_CONFIG_JSON={"nested":{"a":1},"list":[1,2]}',
      '',
    ].join('\n');
    expect(extractPropertiesFromLog(log)).toEqual({ image_tag: '1.2.3', mixed_case: 'value', nested: { a: 1 }, list: [1, 2] });
  });

  it('keeps what precedes the marker in the key, as Clouddriver does', () => {
    expect(extractPropertiesFromLog('INFO SPINNAKER_PROPERTY_X=1')).toEqual({ 'info x': '1' });
  });

  it('throws on malformed JSON', () => {
    expect(() => extractPropertiesFromLog('SPINNAKER_CONFIG_JSON={nope')).toThrow();
  });
});
