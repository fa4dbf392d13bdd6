/** CAR's platform names (car-api.md). */
export type CarPlatform = 'WINDOWS' | 'LINUX' | 'UNIX' | 'MAC';

/** The seed sends the singular form; meta.yaml also accepts the plural of older API versions. */
export type ThresholdTimeUnit = 'SECOND' | 'MINUTE' | 'HOUR';

export interface ControlIdMetadata {
  cid: string;
  tech: string[];
  policies?: string[];
  displayName?: string;
  subType?: 'Response' | 'Detection';
}

/**
 * A script's metadata after defaults.yaml files are merged in and values are normalised
 * (platform filled in from the extension, plural time units made singular).
 */
export interface ScriptMeta {
  title: string;
  description?: string;
  platform: CarPlatform;
  /** 1 to 5; CAR wants it as a string, the payload converts. */
  severity?: number;
  threshold?: number;
  thresholdTimeUnit?: ThresholdTimeUnit;
  typeId?: number;
  languageId?: number;
  categoryId?: number;
  scriptApprovalUserConsent?: boolean;
  /** Parameter name -> default value, as written in YAML; sent base64 as `params`. */
  parameters?: Record<string, string>;
  autorScriptsMetadata?: ControlIdMetadata;
}

/** One managed script: a folder under the scripts dir with `script.sh|ps1` and `meta.yaml`. */
export interface Script {
  /** The script file's path from the repository root, `/` separated: the state file's key. */
  path: string;
  /** The meta.yaml beside it, from the repository root. */
  metaPath: string;
  content: Buffer;
  meta: ScriptMeta;
  /** sha256 over the content and every field sent to CAR: any change here is an update. */
  hash: string;
}
