import { describe, expect, it } from 'vitest';
import { fieldText, parseMultipart } from '../../engine/api/camunda/multipart.js';
import { fromTypedValues, toTypedValues } from '../../engine/api/camunda/typed-values.js';

describe('api/camunda typed values', () => {
  it('reads every supported type into plain JSON', () => {
    expect(
      fromTypedValues({
        s: { value: 'a', type: 'String' },
        i: { value: '42', type: 'Integer' },
        l: { value: 2 ** 40, type: 'Long' },
        d: { value: 1.5, type: 'Double' },
        b: { value: 'false', type: 'boolean' },
        j: { value: '[1,2]', type: 'Json' },
        n: { value: 'ignored', type: 'Null' },
        o: { value: '{"a":1}', type: 'Object', valueInfo: { serializationDataFormat: 'application/json' } },
        untyped: { value: { x: 1 } },
      }),
    ).toEqual({ s: 'a', i: 42, l: 2 ** 40, d: 1.5, b: false, j: [1, 2], n: null, o: { a: 1 }, untyped: { x: 1 } });
  });

  it('names every value it cannot convert', () => {
    expect(() =>
      fromTypedValues({
        a: { value: 'x', type: 'Integer' },
        b: { value: 1.5, type: 'Long' },
        c: { value: '{', type: 'Json' },
      }),
    ).toThrow(/a: 'x' is not a valid Integer; b: '1.5' is not a whole number; c: a Json value must be a JSON text/);
  });

  it('writes plain values with Camunda types', () => {
    expect(toTypedValues({ s: 'a', i: 7, l: 2 ** 40, d: 0.5, b: true, n: null, o: { a: [1] } })).toEqual({
      s: { value: 'a', type: 'String', valueInfo: {} },
      i: { value: 7, type: 'Integer', valueInfo: {} },
      l: { value: 2 ** 40, type: 'Long', valueInfo: {} },
      d: { value: 0.5, type: 'Double', valueInfo: {} },
      b: { value: true, type: 'Boolean', valueInfo: {} },
      n: { value: null, type: 'Null', valueInfo: {} },
      o: { value: '{"a":[1]}', type: 'Json', valueInfo: {} },
    });
  });
});

describe('api/camunda multipart', () => {
  it('splits fields and files, keeping file bytes intact', () => {
    const body = Buffer.from(
      'preamble\r\n--XyZ\r\nContent-Disposition: form-data; name="deployment-name"\r\n\r\nmy deployment\r\n' +
        '--XyZ\r\nContent-Disposition: form-data; name="a.bpmn"; filename="a.bpmn"\r\nContent-Type: text/xml\r\n\r\n<x>\r\n--y</x>\r\n--XyZ--\r\n',
    );
    const parts = parseMultipart(body, 'multipart/form-data; boundary="XyZ"');
    expect(parts.map((p) => [p.name, p.filename, p.contentType])).toEqual([
      ['deployment-name', null, null],
      ['a.bpmn', 'a.bpmn', 'text/xml'],
    ]);
    expect(parts[1].data.toString()).toBe('<x>\r\n--y</x>');
    expect(fieldText(parts, 'deployment-name')).toBe('my deployment');
  });

  it('refuses a body with no closing boundary', () => {
    const body = Buffer.from('--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nvalue');
    expect(() => parseMultipart(body, 'multipart/form-data; boundary=b')).toThrow(/no closing boundary/);
  });
});
