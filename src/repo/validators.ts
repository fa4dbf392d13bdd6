import { Ajv, type ValidateFunction } from 'ajv';
import defaultsSchema from './defaults.schema.json' with { type: 'json' };
import metaSchema from './meta.schema.json' with { type: 'json' };

/**
 * The ajv instance holding both schemas, compiled once per process: compiling per file would cost
 * more than reading it. dist/ does not compile at all: build.mjs replaces this module with the
 * code of the same validators, generated from this very instance (ajv "standalone"), which saves
 * every start ~20 ms. `validateSchema: false` because the schemas are our own files, checked
 * against draft-07 by a test; checking them on every start compiled the draft-07 meta-schema.
 */
export const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, validateSchema: false, code: { source: true, esm: true } });
ajv.addSchema(metaSchema, 'meta');
ajv.addSchema(defaultsSchema, 'defaults');

export const validators: Record<'meta' | 'defaults', ValidateFunction> = {
  meta: ajv.getSchema('meta')!,
  defaults: ajv.getSchema('defaults')!,
};
