import { describe, expect, it } from 'vitest';
import { carScriptBody, carUpdateBody } from '../../src/car/payload.js';
import type { Script, ScriptMeta } from '../../src/repo/script.js';
import { create, createdId, emulator, update } from './helpers.js';

const FULL_META: ScriptMeta = {
  title: 'Install auditd',
  description: 'Installs and enables auditd',
  platform: 'LINUX',
  severity: 3,
  threshold: 300,
  thresholdTimeUnit: 'SECOND',
  typeId: 6,
  languageId: 4,
  categoryId: 2,
  scriptApprovalUserConsent: true,
  parameters: { PACKAGE: 'auditd', EMPTY: '' },
  autorScriptsMetadata: { cid: '994911', tech: ['Ubuntu 20.x'], policies: ['linux'], displayName: 'Install the audit package', subType: 'Response' },
};

describe('the bodies car-sync builds', () => {
  it.each([
    ['every field', FULL_META],
    ['only what is required', { title: 'Minimal', platform: 'WINDOWS' } as ScriptMeta],
  ])('pass the emulator on create and update with %s', async (_name, meta) => {
    const car = await emulator();
    const token = car.issueToken('demo');
    const content = Buffer.from('#!/bin/sh\napt-get install -y auditd\n');
    const createAnswer = await create(car.url, token, carScriptBody(meta, content));
    expect(createAnswer.text).toContain('Script created successfully');
    const id = createdId(createAnswer);
    const script = { path: 'scripts/x/script.sh', metaPath: 'scripts/x/meta.yaml', content: Buffer.from('#!/bin/sh\necho v2\n'), meta, hash: '' } satisfies Script;
    const updateAnswer = await update(car.url, token, id, carUpdateBody(script, 'Synced by car-sync'));
    expect(updateAnswer.json).toEqual({ id, message: 'Updated Successfully.' });
  });
});
