import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Scripts per group folder; each group has its own defaults.yaml, as teams organise them. */
const GROUP_SIZE = 100;
/** About what a real remediation script weighs. */
const SCRIPT_BYTES = 2048;

const SUBJECTS = ['auditd', 'sshd', 'password policy', 'firewall', 'TLS', 'SMBv1', 'Defender', 'NTP', 'sudoers', 'cron', 'USB storage', 'kernel modules'];
const VERBS = ['Enable', 'Disable', 'Harden', 'Restrict', 'Configure', 'Remove'];
const TECH = ['Ubuntu 22.x', 'Ubuntu 20.x', 'Debian GNU/Linux 11.x', 'Debian GNU/Linux 12.x', 'RHEL 8.x', 'RHEL 9.x'];

export interface GeneratedScript {
  /** From the repository root. */
  path: string;
  windows: boolean;
}

function pad(n: number, width = 5): string {
  return String(n).padStart(width, '0');
}

function defaultsYaml(lines: string[]): string {
  return ['# Fields shared by every script below this folder; meta.yaml overrides them.', ...lines, ''].join('\n');
}

function metaYaml(i: number, windows: boolean): string {
  const subject = SUBJECTS[i % SUBJECTS.length]!;
  const lines = [
    '# yaml-language-server: $schema=../../../../src/repo/meta.schema.json',
    `title: ${VERBS[i % VERBS.length]} ${subject} baseline ${pad(i)}`,
    'description: >-',
    `  Brings the ${subject} settings of the host in line with the hardening baseline (rule ${pad(i)}),`,
    '  checks the result and exits non-zero when the host cannot be brought in line, so the CAR job',
    '  shows which hosts need a person.',
  ];
  if (i % 3 === 0) lines.push(`severity: ${(i % 5) + 1}`);
  if (i % 10 === 0) lines.push('threshold: 10', 'thresholdTimeUnit: MINUTES');
  if (i % 4 === 0) lines.push('parameters:', `  MAX_DAYS: ${30 + (i % 60)}`, `  ENFORCE: ${i % 8 === 0}`);
  if (!windows && i % 5 === 0) {
    lines.push(
      '# The tenant\'s id for "Control ID Remediation" scripts.',
      'typeId: 6',
      'autorScriptsMetadata:',
      `  cid: "${990000 + i}"`,
      '  tech:',
      ...TECH.slice(0, 2 + (i % 4)).map((tech) => `    - ${tech}`),
      '  policies:',
      '    - linux',
      `  displayName: ${subject} baseline ${pad(i)}`,
      '  subType: Response',
    );
  }
  return `${lines.join('\n')}\n`;
}

function scriptText(i: number, windows: boolean): string {
  const head = windows
    ? [`# Rule ${pad(i)}: brings one setting in line with the baseline.`, '$ErrorActionPreference = "Stop"', '']
    : ['#!/bin/bash', `# Rule ${pad(i)}: brings one setting in line with the baseline.`, 'set -u', ''];
  const lines = [...head];
  for (let step = 0; lines.join('\n').length < SCRIPT_BYTES - 80; step++) {
    lines.push(
      windows
        ? `if ((Get-ItemProperty -Path "HKLM:\\SOFTWARE\\Baseline\\R${pad(i)}" -Name "Step${step}" -ErrorAction SilentlyContinue).Step${step} -ne ${step}) { exit 2 }`
        : `grep -q '^rule_${pad(i)}_step_${step}=' /etc/baseline.conf || echo 'rule_${pad(i)}_step_${step}=on' >> /etc/baseline.conf || exit 2`,
    );
  }
  lines.push('exit 0');
  return `${lines.join('\n')}\n`;
}

/**
 * Writes a repository of `count` scripts under `root/scripts`: defaults.yaml at the top, per
 * platform and per group, and a meta.yaml beside each script with a realistic mix of fields.
 * Script numbers start at `firstIndex`, so a second call can add scripts with new titles.
 */
export async function generateRepository(root: string, count: number, firstIndex = 0): Promise<GeneratedScript[]> {
  const scriptsDir = path.join(root, 'scripts');
  await mkdir(scriptsDir, { recursive: true });
  await writeFile(
    path.join(scriptsDir, 'defaults.yaml'),
    defaultsYaml(['typeId: 1', 'severity: 3', 'threshold: 300', 'thresholdTimeUnit: SECOND', 'scriptApprovalUserConsent: false']),
  );
  for (const [platform, languageId] of [['linux', 2], ['windows', 4]] as const) {
    await mkdir(path.join(scriptsDir, platform), { recursive: true });
    await writeFile(path.join(scriptsDir, platform, 'defaults.yaml'), defaultsYaml([`languageId: ${languageId}`]));
  }

  const scripts: GeneratedScript[] = [];
  const writes: Promise<void>[] = [];
  const groups = Math.ceil(count / GROUP_SIZE);
  for (let group = 0; group < groups; group++) {
    // Two groups in five are Windows, as in a mixed estate.
    const windows = group % 5 >= 3;
    const groupDir = path.join(scriptsDir, windows ? 'windows' : 'linux', `group-${pad(group, 3)}`);
    await mkdir(groupDir, { recursive: true });
    await writeFile(path.join(groupDir, 'defaults.yaml'), defaultsYaml([`categoryId: ${group + 1}`]));
    for (let n = group * GROUP_SIZE; n < Math.min(count, (group + 1) * GROUP_SIZE); n++) {
      const i = firstIndex + n;
      const folder = path.join(groupDir, `rule-${pad(i)}`);
      const file = windows ? 'script.ps1' : 'script.sh';
      scripts.push({ path: path.relative(root, path.join(folder, file)).split(path.sep).join('/'), windows });
      writes.push(
        mkdir(folder, { recursive: true }).then(() =>
          Promise.all([writeFile(path.join(folder, file), scriptText(i, windows)), writeFile(path.join(folder, 'meta.yaml'), metaYaml(i, windows))]).then(() => {}),
        ),
      );
      // Bounded, so 10,000 folders do not open 20,000 files at once.
      if (writes.length >= 64) await Promise.all(writes.splice(0));
    }
  }
  await Promise.all(writes);
  return scripts;
}
