import type { CarPlatform, ControlIdMetadata, ScriptMeta, ThresholdTimeUnit } from './script.js';

/** A PowerShell script runs on Windows; anything else defaults to Linux. */
export function defaultPlatform(scriptPath: string): CarPlatform {
  return scriptPath.endsWith('.ps1') ? 'WINDOWS' : 'LINUX';
}

/** Older API versions documented SECONDS/MINUTES/HOURS; the seed sends the singular. */
function singularUnit(unit: string): ThresholdTimeUnit {
  return unit.replace(/S$/, '') as ThresholdTimeUnit;
}

/**
 * Turns fields that passed the schema into a ScriptMeta: platform from the extension when unset,
 * plural time units made singular, parameter values and a numeric cid made strings.
 */
export function toScriptMeta(fields: Readonly<Record<string, unknown>>, scriptPath: string): ScriptMeta {
  // The schema has checked every type; this only restates them for TypeScript.
  const f = fields as Partial<Omit<ScriptMeta, 'thresholdTimeUnit'>> & { title: string; thresholdTimeUnit?: string };
  const meta: ScriptMeta = {
    title: f.title,
    description: f.description,
    platform: f.platform ?? defaultPlatform(scriptPath),
    severity: f.severity,
    threshold: f.threshold,
    thresholdTimeUnit: f.thresholdTimeUnit === undefined ? undefined : singularUnit(f.thresholdTimeUnit),
    typeId: f.typeId,
    languageId: f.languageId,
    categoryId: f.categoryId,
    scriptApprovalUserConsent: f.scriptApprovalUserConsent,
  };
  const parameters = fields.parameters as Record<string, string | number | boolean> | undefined;
  if (parameters !== undefined) {
    meta.parameters = Object.fromEntries(Object.entries(parameters).map(([name, value]) => [name, String(value)]));
  }
  const control = fields.autorScriptsMetadata as (Omit<ControlIdMetadata, 'cid'> & { cid: string | number }) | undefined;
  if (control !== undefined) meta.autorScriptsMetadata = { ...control, cid: String(control.cid) };
  for (const key of Object.keys(meta) as (keyof ScriptMeta)[]) {
    if (meta[key] === undefined) delete meta[key];
  }
  return meta;
}
