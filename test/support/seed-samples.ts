import type { CarScriptBody, CarScriptUpdateBody } from '../../src/car/payload.js';

/**
 * The request bodies of the CAR 2.5.1 release notes (the user's seed document), verbatim: the
 * client must send exactly these shapes and the emulator must accept them.
 */
export const SEED_CREATE_BODY = {
  title: 'Sample title',
  content: 'bHMgLWxhOyBleGl0IDI7',
  description: 'Sample control ID description',
  platform: 'WINDOWS',
  severity: '3',
  threshold: 300,
  thresholdTimeUnit: 'SECOND',
  typeId: 6,
  languageId: 4,
  scriptApprovalUserConsent: true,
  hasParameters: false,
  autorScriptsMetadata: {
    cid: '994911',
    tech: ['Ubuntu 20.x', 'Ubuntu 18.x', 'Ubuntu 16.x', 'Debian GNU/Linux 10.x', 'Debian GNU/Linux 11.x', 'Debian GNU/Linux 9.x'],
    policies: ['linux'],
    displayName: 'Install the audit package',
    subType: 'Response',
  },
} satisfies CarScriptBody;

export const SEED_UPDATE_BODY = {
  title: 'Sample Title',
  content: 'ZGF0ZTsgZXhpdCAyOw==',
  description: 'Update control ID script',
  platform: 'WINDOWS',
  severity: '3',
  threshold: 300,
  thresholdTimeUnit: 'SECOND',
  typeId: 6,
  languageId: 4,
  scriptApprovalUserConsent: true,
  hasParameters: false,
  comment: 'Update',
  autorScriptsMetadata: {
    cid: '9949',
    tech: ['Ubuntu 20.x', 'Ubuntu 18.x', 'Ubuntu 16.x', 'Debian GNU/Linux 10.x', 'Debian GNU/Linux 11.x', 'Debian GNU/Linux 9.x', 'linux'],
    policies: ['linux'],
    displayName: 'Install the audit package',
    subType: 'Response',
  },
} satisfies CarScriptUpdateBody;
