import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import defaultsSchema from '../../src/repo/defaults.schema.json' with { type: 'json' };
import metaSchema from '../../src/repo/meta.schema.json' with { type: 'json' };

// src/repo/schema.ts compiles these without checking them (it would cost every start 35 ms): this does.
describe('the meta.yaml and defaults.yaml schemas', () => {
  it('are valid draft-07 JSON schemas', () => {
    const ajv = new Ajv({ allowUnionTypes: true });
    for (const schema of [metaSchema, defaultsSchema]) {
      expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    }
  });

  it('are refused when broken, so the check above can fail', () => {
    const ajv = new Ajv({ allowUnionTypes: true });
    expect(ajv.validateSchema({ ...metaSchema, required: 'title' })).toBe(false);
  });
});
