#!/usr/bin/env node
import { createRequire as __carSyncCreateRequire } from 'node:module';
const require = __carSyncCreateRequire(import.meta.url);
var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __require = /* @__PURE__ */ ((x) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x, {
  get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
}) : x)(function(x) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x + '" is not supported');
});
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __commonJS = (cb, mod) => function __require2() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// separate-file:undici
var undici_exports = {};
__export(undici_exports, {
  Agent: () => Agent,
  ProxyAgent: () => ProxyAgent,
  fetch: () => fetch
});
var real2, load2, fetch, Agent, ProxyAgent;
var init_undici = __esm({
  "separate-file:undici"() {
    load2 = () => real2 ??= __require("./undici.cjs");
    fetch = (...args) => load2().fetch(...args);
    Agent = class {
      constructor(...args) {
        return new (load2()).Agent(...args);
      }
    };
    ProxyAgent = class {
      constructor(...args) {
        return new (load2()).ProxyAgent(...args);
      }
    };
  }
});

// node_modules/ajv/dist/runtime/ucs2length.js
var require_ucs2length = __commonJS({
  "node_modules/ajv/dist/runtime/ucs2length.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    function ucs2length(str) {
      const len = str.length;
      let length = 0;
      let pos = 0;
      let value;
      while (pos < len) {
        length++;
        value = str.charCodeAt(pos++);
        if (value >= 55296 && value <= 56319 && pos < len) {
          value = str.charCodeAt(pos);
          if ((value & 64512) === 56320)
            pos++;
        }
      }
      return length;
    }
    exports.default = ucs2length;
    ucs2length.code = 'require("ajv/dist/runtime/ucs2length").default';
  }
});

// src/config.ts
import path from "node:path";

// src/car/platforms.ts
var CAR_PLATFORMS = {
  US1: "https://gateway.qg1.apps.qualys.com",
  US2: "https://gateway.qg2.apps.qualys.com",
  US3: "https://gateway.qg3.apps.qualys.com",
  US4: "https://gateway.qg4.apps.qualys.com",
  EU1: "https://gateway.qg1.apps.qualys.eu",
  EU2: "https://gateway.qg2.apps.qualys.eu",
  EU3: "https://gateway.qg3.apps.qualys.it",
  IN1: "https://gateway.qg1.apps.qualys.in",
  CA1: "https://gateway.qg1.apps.qualys.ca",
  AE1: "https://gateway.qg1.apps.qualys.ae",
  UK1: "https://gateway.qg1.apps.qualys.co.uk",
  AU1: "https://gateway.qg1.apps.qualys.com.au",
  KSA1: "https://gateway.qg1.apps.qualysksa.com"
};
var LOOPBACK_HOSTS = /* @__PURE__ */ new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);
function isLoopbackHost(hostname) {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname.endsWith(".localhost");
}
function normalizeBaseUrl(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`"${value}" is not a URL; expected for example https://gateway.qg1.apps.qualys.com`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    throw new Error(`"${value}" must use https:// (plain http:// is accepted only for loopback addresses)`);
  }
  if (url.username || url.password) throw new Error("the base URL must not carry credentials; use the token or username/password options");
  return url.toString().replace(/\/+$/, "");
}

// src/config.ts
var OPTION_ENV = {
  platform: "CAR_PLATFORM",
  "base-url": "CAR_BASE_URL",
  token: "CAR_TOKEN",
  username: "CAR_USERNAME",
  password: "CAR_PASSWORD",
  concurrency: "CAR_CONCURRENCY"
};
var ConfigError = class extends Error {
  constructor(option, problem) {
    super(`${option}: ${problem}`);
    this.option = option;
    this.problem = problem;
    this.name = "ConfigError";
  }
  option;
  problem;
};
function relativeInsideRoot(option, value, root) {
  const absolute = path.resolve(root, value);
  const relative = path.relative(root, absolute);
  if (relative === "" && option === "state-file") throw new ConfigError(option, "must name a file, not the repository root");
  if (relative.startsWith("..") || path.isAbsolute(relative)) {
    throw new ConfigError(option, `"${value}" is outside the repository root ${root}`);
  }
  return relative.split(path.sep).join("/");
}
function positiveInteger(option, value, fallback) {
  if (value === void 0 || value.trim() === "") return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new ConfigError(option, `"${value}" is not accepted; expected a whole number of 1 or more`);
  }
  return Number(value);
}
function parseBoolean(option, value) {
  if (value === void 0 || value.trim() === "") return false;
  const normalized = value.trim().toLowerCase();
  if (normalized === "true") return true;
  if (normalized === "false") return false;
  throw new ConfigError(option, `"${value}" is not accepted; expected true or false`);
}
function resolveCar(raw, timeoutMs) {
  const platform = raw.platform?.trim();
  const baseUrlOption = raw["base-url"]?.trim();
  if (!platform && !baseUrlOption) return void 0;
  let baseUrl;
  if (baseUrlOption) {
    try {
      baseUrl = normalizeBaseUrl(baseUrlOption);
    } catch (err) {
      throw new ConfigError("base-url", err.message);
    }
  } else {
    const gateway = CAR_PLATFORMS[platform.toUpperCase()];
    if (!gateway) {
      throw new ConfigError("platform", `"${platform}" is not a Qualys platform; expected one of ${Object.keys(CAR_PLATFORMS).join(", ")}, or set base-url`);
    }
    baseUrl = gateway;
  }
  const token = raw.token?.trim() || void 0;
  const username = raw.username?.trim() || void 0;
  const password = raw.password || void 0;
  if (!token && username === void 0 !== (password === void 0)) {
    throw new ConfigError(username ? "password" : "username", "username and password go together");
  }
  return { baseUrl, token, username, password, timeoutMs };
}
function withEnvironment(raw, env) {
  const merged = { ...raw };
  for (const [option, variable] of Object.entries(OPTION_ENV)) {
    if ((merged[option] === void 0 || merged[option] === "") && env[variable]) merged[option] = env[variable];
  }
  return merged;
}
function resolveConfig(raw, cwd) {
  const root = path.resolve(cwd, raw.root?.trim() || ".");
  const timeoutSeconds = positiveInteger("timeout", raw.timeout, 60);
  return {
    root,
    scriptsDir: relativeInsideRoot("scripts-dir", raw["scripts-dir"]?.trim() || "scripts", root),
    stateFile: relativeInsideRoot("state-file", raw["state-file"]?.trim() || ".car/state.json", root),
    car: resolveCar(raw, timeoutSeconds * 1e3),
    concurrency: positiveInteger("concurrency", raw.concurrency, 2),
    maxWrites: positiveInteger("max-writes", raw["max-writes"], void 0),
    force: parseBoolean("force", raw.force)
  };
}
function requireCar(config) {
  if (!config.car) throw new ConfigError("platform", "apply needs a Qualys platform (US1 ... KSA1) or a base-url");
  if (!config.car.token && !config.car.username) {
    throw new ConfigError("token", "apply needs credentials: a token, or a username and password");
  }
  return config.car;
}

// src/cli/args.ts
import { parseArgs } from "node:util";
var COMMANDS = ["validate", "plan", "apply", "adopt", "forget", "emulator", "demo"];
var USAGE = `Usage: car-sync <command> [options]

Commands:
  validate            check every meta.yaml, defaults.yaml, script and the state file
  plan [--json]       show what a sync would do (no network)
  apply [--json]      create and update scripts in CAR, record ids in the state file
  adopt PATH ID       record that the script at PATH exists in CAR as ID
  forget PATH         drop PATH from the state file (an unresolved create that never happened)
  emulator            run the built-in CAR emulator on loopback (options below)
  demo                sync a copy of the bundled example against the emulator, twice

Repository options:
  --root DIR          repository root (default: the current directory)
  --scripts-dir DIR   folder of scripts, relative to the root (default: scripts)
  --state FILE        state file, relative to the root (default: .car/state.json)

CAR options (apply):
  --platform NAME     US1 US2 US3 US4 EU1 EU2 EU3 IN1 CA1 AE1 UK1 AU1 KSA1   [CAR_PLATFORM]
  --base-url URL      gateway URL instead of a platform (private cloud)       [CAR_BASE_URL]
  --token JWT         a bearer token                                          [CAR_TOKEN]
  --username U        exchanged with --password for a token at /auth          [CAR_USERNAME]
  --password P                                                                [CAR_PASSWORD]
  --concurrency N     calls in flight at most (default 2)                     [CAR_CONCURRENCY]
  --max-writes N      stop after N create/update calls; the next run goes on
  --force             update every managed script, even unchanged ones
  --timeout SECONDS   per-call timeout (default 60)

Output:
  --json              the plan (and results) as JSON on stdout

Emulator options (with --root, CAR already holds the scripts that repository's state file names):
  --port N  --latency MS  --rate-limit CALLS/SECONDS  --rate-limit-status 409|429
  --concurrency-limit N  --fail-rate F  --lost-answer-rate F  --seed N
  --user NAME:PASSWORD[:SCOPE1,SCOPE2] (repeatable)  --accept-token T1,T2
  --token-ttl SECONDS  --first-id N  --max-scripts N

Exit codes: 0 success, 1 validation or sync failure, 2 usage error.`;
var UsageError = class extends Error {
};
function parseCliArgs(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        root: { type: "string" },
        "scripts-dir": { type: "string" },
        state: { type: "string" },
        "state-file": { type: "string" },
        platform: { type: "string" },
        "base-url": { type: "string" },
        token: { type: "string" },
        username: { type: "string" },
        password: { type: "string" },
        concurrency: { type: "string" },
        "max-writes": { type: "string" },
        force: { type: "boolean" },
        timeout: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
        port: { type: "string" },
        latency: { type: "string" },
        "rate-limit": { type: "string" },
        "concurrency-limit": { type: "string" },
        "fail-rate": { type: "string" },
        "lost-answer-rate": { type: "string" },
        seed: { type: "string" },
        user: { type: "string", multiple: true },
        "rate-limit-status": { type: "string" },
        "accept-token": { type: "string" },
        "token-ttl": { type: "string" },
        "first-id": { type: "string" },
        "max-scripts": { type: "string" }
      }
    });
  } catch (err) {
    throw new UsageError(err.message);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (values.version) return "version";
  const [command, ...rest] = positionals;
  if (!command) throw new UsageError("no command given");
  if (!COMMANDS.includes(command)) {
    throw new UsageError(`unknown command "${command}"; expected one of ${COMMANDS.join(", ")}`);
  }
  const expected = { adopt: 2, forget: 1 };
  if (rest.length !== (expected[command] ?? 0)) {
    throw new UsageError(`"${command}" takes ${expected[command] ?? "no"} argument(s), got ${rest.length}`);
  }
  const options = {
    root: values.root,
    "scripts-dir": values["scripts-dir"],
    "state-file": values.state ?? values["state-file"],
    platform: values.platform,
    "base-url": values["base-url"],
    token: values.token,
    username: values.username,
    password: values.password,
    concurrency: values.concurrency,
    "max-writes": values["max-writes"],
    force: values.force ? "true" : void 0,
    timeout: values.timeout
  };
  return {
    command,
    positionals: rest,
    options,
    json: values.json ?? false,
    emulator: {
      port: values.port,
      latency: values.latency,
      "rate-limit": values["rate-limit"],
      "concurrency-limit": values["concurrency-limit"],
      "fail-rate": values["fail-rate"],
      "lost-answer-rate": values["lost-answer-rate"],
      seed: values.seed,
      user: values.user?.join("\n"),
      "rate-limit-status": values["rate-limit-status"],
      "accept-token": values["accept-token"],
      "token-ttl": values["token-ttl"],
      "first-id": values["first-id"],
      "max-scripts": values["max-scripts"]
    }
  };
}

// src/apply/result.ts
function applySucceeded(result) {
  return !result.stopped && result.results.every((r) => r.outcome !== "failed" && r.outcome !== "unresolved");
}

// src/plan/state.ts
import { promises as fs } from "node:fs";
import path2 from "node:path";

// separate-file:yaml
var real;
var load = () => real ??= __require("./yaml.cjs");
var parseDocument = (...args) => load().parseDocument(...args);
var isAlias = (...args) => load().isAlias(...args);
var isMap = (...args) => load().isMap(...args);
var isScalar = (...args) => load().isScalar(...args);
var isSeq = (...args) => load().isSeq(...args);
var LineCounter = class {
  constructor(...args) {
    return new (load()).LineCounter(...args);
  }
};

// src/repo/problem.ts
function formatProblem(p) {
  return `${p.file}:${p.line}:${p.column}: ${p.message}`;
}
function compareProblems(a, b) {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}
var InvalidRepositoryError = class extends Error {
  constructor(problems) {
    super(problems.map(formatProblem).join("\n"));
    this.problems = problems;
    this.name = "InvalidRepositoryError";
  }
  problems;
};

// src/plan/state.ts
function emptyState() {
  return { version: 1, scripts: {} };
}
var ENTRY_FIELDS = {
  id: (v) => Number.isSafeInteger(v) && v > 0 ? void 0 : "a positive integer",
  hash: (v) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v) ? void 0 : "a sha256 hex string",
  title: (v) => typeof v === "string" ? void 0 : "a string",
  intent: (v) => typeof v === "string" ? void 0 : "an ISO 8601 time string"
};
function isPathInsideRepository(key) {
  if (key === "" || key.includes("\\") || key.includes("\0")) return false;
  if (key.startsWith("/") || /^[A-Za-z]:/.test(key)) return false;
  return key.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}
function positionOf(lineCounter, offset) {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
var PLAIN_PATH = /^[\w-][\w.-]*(?:\/[\w-][\w.-]*)*$/;
function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
function wellFormedState(raw) {
  if (!isPlainObject(raw) || raw.version !== 1 || !isPlainObject(raw.scripts)) return void 0;
  if (Object.keys(raw).some((key) => key !== "version" && key !== "scripts")) return void 0;
  const scripts = {};
  for (const [key, entry] of Object.entries(raw.scripts)) {
    if (!(PLAIN_PATH.test(key) || isPathInsideRepository(key)) || !isPlainObject(entry)) return void 0;
    for (const [field, value] of Object.entries(entry)) {
      const check = ENTRY_FIELDS[field];
      if (!check || check(value) !== void 0) return void 0;
    }
    scripts[key] = entry;
  }
  return { version: 1, scripts };
}
function parseState(text, file) {
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const message = err.message;
    const at2 = /position (\d+)/.exec(message);
    const lineCounter2 = new LineCounter();
    lineCounter2.addNewLine(0);
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineCounter2.addNewLine(i + 1);
    const { line, column } = positionOf(lineCounter2, at2 ? Number(at2[1]) : text.length);
    throw new InvalidRepositoryError([{ file, line, column, message: `state file is not valid JSON (${message.replace(/ in JSON at position \d+.*$/, "")}); a corrupt state file is never read as empty, fix it or restore it from git` }]);
  }
  const wellFormed = wellFormedState(raw);
  if (wellFormed) return wellFormed;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
  const problems = [];
  const at = (node, message) => {
    const { line, column } = positionOf(lineCounter, node?.range?.[0] ?? 0);
    problems.push({ file, line, column, message });
  };
  const root = doc.contents;
  if (!isMap(root) || raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    at(root, 'state file must be a JSON object { "version": 1, "scripts": { ... } }');
    throw new InvalidRepositoryError(problems);
  }
  const rawRoot = raw;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (key !== "version" && key !== "scripts") at(pair.key, `unknown key "${key}" in state file; expected "version" and "scripts"`);
  }
  if (rawRoot.version !== 1) at(root.get("version", true) ?? root, 'state file "version" must be 1');
  const scriptsNode = root.get("scripts", true);
  const scripts = {};
  if (!isMap(scriptsNode)) {
    at(scriptsNode ?? root, 'state file "scripts" must be an object mapping script paths to entries');
  } else {
    for (const pair of scriptsNode.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      const keyNode = pair.key;
      if (!isPathInsideRepository(key)) {
        at(keyNode, `state file path "${key}" is outside the repository; expected a relative path like "scripts/linux/x/script.sh"`);
        continue;
      }
      const entryNode = pair.value;
      if (!isMap(entryNode)) {
        at(entryNode ?? keyNode, `state entry for "${key}" must be an object like { "id": 100504 }`);
        continue;
      }
      const entry = rawRoot.scripts[key];
      for (const fieldPair of entryNode.items) {
        const field = isScalar(fieldPair.key) ? String(fieldPair.key.value) : "";
        const check = ENTRY_FIELDS[field];
        if (!check) {
          at(fieldPair.key, `unknown field "${field}" in state entry for "${key}"; expected id, hash, title or intent`);
          continue;
        }
        const expected = check(entry[field]);
        if (expected) at(fieldPair.value, `state entry "${key}": "${field}" must be ${expected}`);
      }
      scripts[key] = entry;
    }
  }
  if (problems.length > 0) throw new InvalidRepositoryError(problems.sort(compareProblems));
  return { version: 1, scripts };
}
async function readStateFile(absolutePath, displayPath) {
  let text;
  try {
    text = await fs.readFile(absolutePath, "utf8");
  } catch (err) {
    if (err.code === "ENOENT") return emptyState();
    throw err;
  }
  return parseState(text, displayPath);
}
var ENTRY_ORDER = ["id", "hash", "title", "intent"];
function serializeState(state) {
  const scripts = {};
  for (const key of Object.keys(state.scripts).sort()) {
    const entry = state.scripts[key];
    const ordered = {};
    for (const field of ENTRY_ORDER) if (entry[field] !== void 0) ordered[field] = entry[field];
    scripts[key] = ordered;
  }
  return `${JSON.stringify({ version: 1, scripts }, null, 2)}
`;
}
async function writeStateFile(absolutePath, state) {
  await fs.mkdir(path2.dirname(absolutePath), { recursive: true });
  const temporary = `${absolutePath}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const handle = await fs.open(temporary, "w");
  try {
    await handle.writeFile(serializeState(state));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temporary, absolutePath);
  } catch (err) {
    await fs.rm(temporary, { force: true });
    throw err;
  }
}

// src/plan/state-edits.ts
function adoptScript(state, path9, id, title) {
  if (!isPathInsideRepository(path9)) throw new Error(`"${path9}" is not a path inside the repository, like scripts/linux/x/script.sh`);
  if (!Number.isSafeInteger(id) || id < 1) throw new Error(`"${id}" is not a CAR script id; expected a positive whole number`);
  for (const [other, entry] of Object.entries(state.scripts)) {
    if (other !== path9 && entry.id === id) throw new Error(`id ${id} is already recorded for ${other}; forget that path first`);
  }
  return { version: 1, scripts: { ...state.scripts, [path9]: { id, title: title ?? state.scripts[path9]?.title } } };
}
function forgetScript(state, path9) {
  if (!(path9 in state.scripts)) throw new Error(`"${path9}" is not in the state file`);
  const scripts = { ...state.scripts };
  delete scripts[path9];
  return { version: 1, scripts };
}

// src/plan/plan.ts
var PLAN_ACTION_KINDS = [
  "create",
  "update",
  "rename",
  "unchanged",
  "orphan",
  "unresolved"
];

// src/plan/planner.ts
function byPath(a, b) {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
function countActions(actions) {
  const counts = Object.fromEntries(PLAN_ACTION_KINDS.map((kind) => [kind, 0]));
  for (const { action } of actions) counts[action] += 1;
  return counts;
}
function planSync(scripts, state, options = {}) {
  const actions = [];
  const creates = [];
  const present = /* @__PURE__ */ new Set();
  for (const script of scripts) {
    present.add(script.path);
    const entry = state.scripts[script.path];
    const title = script.meta.title;
    if (!entry) {
      creates.push(script);
    } else if (entry.id === void 0) {
      actions.push({ action: "unresolved", path: script.path, title, script });
    } else if (entry.hash !== script.hash || options.force) {
      actions.push({ action: "update", path: script.path, title, id: entry.id, script });
    } else {
      actions.push({ action: "unchanged", path: script.path, title, id: entry.id, script });
    }
  }
  const goneByHash = /* @__PURE__ */ new Map();
  const gone = [];
  for (const path9 of Object.keys(state.scripts).sort()) {
    if (present.has(path9)) continue;
    const entry = state.scripts[path9];
    if (entry.id === void 0) {
      actions.push({ action: "unresolved", path: path9, title: entry.title });
      continue;
    }
    gone.push(path9);
    if (entry.hash) goneByHash.set(entry.hash, [...goneByHash.get(entry.hash) ?? [], path9]);
  }
  const renamed = /* @__PURE__ */ new Set();
  for (const script of creates) {
    const from = goneByHash.get(script.hash)?.find((path9) => !renamed.has(path9));
    if (from === void 0) {
      actions.push({ action: "create", path: script.path, title: script.meta.title, script });
      continue;
    }
    renamed.add(from);
    actions.push({ action: "rename", path: script.path, title: script.meta.title, id: state.scripts[from].id, from, script });
  }
  for (const path9 of gone) {
    if (renamed.has(path9)) continue;
    const entry = state.scripts[path9];
    actions.push({ action: "orphan", path: path9, title: entry.title, id: entry.id });
  }
  actions.sort(byPath);
  return { actions, counts: countActions(actions) };
}

// src/report/json.ts
function planJson(plan, applied, warnings = []) {
  const rows = applied?.results ?? plan.actions;
  const actions = rows.map((row) => {
    const out = { action: row.action, path: row.path };
    if (row.title !== void 0) out.title = row.title;
    if (row.id !== void 0) out.id = row.id;
    if (row.from !== void 0) out.from = row.from;
    if ("outcome" in row) {
      out.result = row.outcome;
      if (row.message !== void 0) out.message = row.message;
    }
    return out;
  });
  const json = { actions, counts: countActions(actions) };
  if (applied) {
    json.outcomes = {};
    for (const r of applied.results) json.outcomes[r.outcome] = (json.outcomes[r.outcome] ?? 0) + 1;
  }
  if (warnings.length > 0) json.warnings = warnings.map(formatProblem);
  return json;
}
function problemsJson(problems, warnings = []) {
  return {
    actions: [],
    counts: countActions([]),
    problems: problems.map(formatProblem),
    ...warnings.length > 0 ? { warnings: warnings.map(formatProblem) } : {}
  };
}

// src/report/text.ts
function table(header2, rows) {
  const widths = header2.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => i === cells.length - 1 ? c : c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header2), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
function countsLine(counts) {
  return PLAN_ACTION_KINDS.filter((kind) => counts[kind]).map((kind) => `${counts[kind]} ${kind}`).join(", ") || "no scripts";
}
function renderText(plan, applied) {
  const json = planJson(plan, applied);
  const header2 = ["ACTION", "PATH", "ID", "TITLE"];
  if (applied) header2.push("RESULT");
  const rows = json.actions.map((a) => {
    const path9 = a.from ? `${a.from} -> ${a.path}` : a.path;
    const row = [a.action, path9, a.id === void 0 ? "-" : String(a.id), a.title ?? ""];
    if (applied) row.push(a.result === "done" ? "ok" : `${a.result}${a.message ? `: ${a.message}` : ""}`);
    return row;
  });
  const lines = [rows.length > 0 ? table(header2, rows) : "No scripts found.", "", `Plan: ${countsLine(json.counts)}.`];
  if (applied && json.outcomes) {
    lines.push(`Result: ${Object.entries(json.outcomes).map(([k, v]) => `${v} ${k}`).join(", ")}; ${applied.writeCalls} write calls.`);
  }
  return lines.join("\n");
}

// src/sync.ts
import path7 from "node:path";

// src/car/payload.ts
import { createHash } from "node:crypto";
var b64 = (text) => Buffer.from(text, "utf8").toString("base64");
function carScriptBody(meta2, content2) {
  const params2 = meta2.parameters ? Object.entries(meta2.parameters) : [];
  const body = {
    title: meta2.title,
    content: content2.toString("base64"),
    description: meta2.description,
    platform: meta2.platform,
    severity: meta2.severity === void 0 ? void 0 : String(meta2.severity),
    threshold: meta2.threshold,
    thresholdTimeUnit: meta2.thresholdTimeUnit,
    typeId: meta2.typeId,
    languageId: meta2.languageId,
    categoryId: meta2.categoryId,
    scriptApprovalUserConsent: meta2.scriptApprovalUserConsent,
    hasParameters: params2.length > 0,
    params: params2.length > 0 ? params2.map(([key, value]) => ({ key: b64(key), value: b64(value) })) : void 0,
    autorScriptsMetadata: meta2.autorScriptsMetadata
  };
  for (const key of Object.keys(body)) {
    if (body[key] === void 0) delete body[key];
  }
  return body;
}
function canonicalJson(value) {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let text2 = "[";
    for (let i = 0; i < value.length; i++) text2 += (i === 0 ? "" : ",") + canonicalJson(value[i]);
    return `${text2}]`;
  }
  const object = value;
  let text = "";
  for (const key of Object.keys(object).sort()) {
    if (object[key] !== void 0) text += `${text === "" ? "" : ","}${quotedKey(key)}:${canonicalJson(object[key])}`;
  }
  return `{${text}}`;
}
var QUOTED_KEYS = /* @__PURE__ */ new Map();
function quotedKey(key) {
  let quoted2 = QUOTED_KEYS.get(key);
  if (quoted2 === void 0) QUOTED_KEYS.set(key, quoted2 = JSON.stringify(key));
  return quoted2;
}
var NO_CONTENT = Buffer.alloc(0);
function scriptHash(meta2, content2) {
  const fields = carScriptBody(meta2, NO_CONTENT);
  fields.content = void 0;
  return createHash("sha256").update(canonicalJson(fields)).update("\0").update(content2).digest("hex");
}
function carUpdateBody(script, comment) {
  return { ...carScriptBody(script.meta, script.content), comment };
}

// src/car/errors.ts
var CarError = class extends Error {
  constructor(kind, message, status, options = {}) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.name = "CarError";
    this.notSent = options.notSent ?? false;
  }
  kind;
  status;
  /** See `CarErrorOptions.notSent`. */
  notSent;
  /** True when CAR cannot have acted on the request, so a create may be sent again. */
  get provesNotProcessed() {
    return this.notSent || this.kind === "rejected" || this.kind === "auth" || this.kind === "rate-limited" || this.kind === "not-found" || this.kind === "forbidden";
  }
};

// src/apply/apply.ts
var UNRESOLVED_HINT = (path9) => `the outcome of an earlier create is unknown; check CAR, then run "car-sync adopt ${path9} ID" if it exists or "car-sync forget ${path9}" if not`;
var SCOPE_HINT = "CAR does not show this script to the API user: it may have been deleted, or it lies outside the user's tag scope (tag-based user scoping); it was not created again";
function describe(err) {
  return err instanceof Error ? err.message : String(err);
}
async function applyPlan(plan, options) {
  const { client, journal, log = () => {
  } } = options;
  const results = /* @__PURE__ */ new Map();
  const graceful = new AbortController();
  let writeCalls = 0;
  let graceTimer;
  const onStop = () => {
    log("stopping: no new calls; waiting for the calls in flight");
    graceTimer = setTimeout(() => graceful.abort(), options.graceMs ?? 1e4);
    graceTimer.unref?.();
  };
  if (options.stop?.aborted) onStop();
  else options.stop?.addEventListener("abort", onStop, { once: true });
  const result = (action, outcome, extra = {}) => results.set(action, { action: action.action, path: action.path, title: action.title, id: action.id, from: action.from, outcome, ...extra });
  const writes = [];
  for (const action of plan.actions) {
    switch (action.action) {
      case "unchanged":
      case "orphan":
        result(action, "done");
        break;
      case "unresolved":
        result(action, "unresolved", { message: UNRESOLVED_HINT(action.path) });
        break;
      case "rename":
        await journal.move(action.from, action.path);
        result(action, "done");
        break;
      case "create":
      case "update":
        writes.push(action);
        break;
    }
  }
  const create = async (action) => {
    const script = action.script;
    try {
      await journal.set(action.path, { hash: script.hash, title: script.meta.title, intent: (/* @__PURE__ */ new Date()).toISOString() });
    } catch (err) {
      result(action, "failed", { message: `not created: the intent could not be written to the state file: ${describe(err)}` });
      return;
    }
    let id;
    try {
      id = await client.createScript(carScriptBody(script.meta, script.content), graceful.signal);
    } catch (err) {
      if (err instanceof CarError && err.provesNotProcessed) {
        await journal.remove(action.path).catch(() => {
        });
        result(action, "failed", { message: describe(err) });
      } else {
        result(action, "unresolved", { message: `${describe(err)}; ${UNRESOLVED_HINT(action.path)}` });
      }
      return;
    }
    try {
      await journal.set(action.path, { id, hash: script.hash, title: script.meta.title });
      log(`created ${action.path} as ${id}`);
      result(action, "done", { id });
    } catch (err) {
      result(action, "unresolved", {
        id,
        message: `created as ${id}, but the state file could not be written (${describe(err)}); run "car-sync adopt ${action.path} ${id}"`
      });
    }
  };
  const update = async (action) => {
    const script = action.script;
    const comment = options.updateComment?.(action) ?? `car-sync: ${action.path} changed`;
    try {
      await client.updateScript(action.id, carUpdateBody(script, comment), graceful.signal);
      await journal.set(action.path, { id: action.id, hash: script.hash, title: script.meta.title });
      log(`updated ${action.path} (${action.id})`);
      result(action, "done");
    } catch (err) {
      const scoped = err instanceof CarError && (err.kind === "not-found" || err.kind === "forbidden");
      result(action, "failed", { message: scoped ? `${describe(err)}; ${SCOPE_HINT}` : describe(err) });
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < writes.length) {
      const action = writes[next++];
      if (options.stop?.aborted) {
        result(action, "skipped", { message: "the run was stopped before this call" });
        continue;
      }
      if (options.maxWrites !== void 0 && writeCalls >= options.maxWrites) {
        result(action, "skipped", { message: `left for the next run: max-writes ${options.maxWrites} reached` });
        continue;
      }
      writeCalls += 1;
      await (action.action === "create" ? create(action) : update(action));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, writes.length)) }, worker));
  } finally {
    clearTimeout(graceTimer);
    options.stop?.removeEventListener("abort", onStop);
  }
  return {
    results: plan.actions.map((action) => results.get(action)),
    writeCalls,
    stopped: options.stop?.aborted ?? false
  };
}

// src/apply/journal.ts
var StateJournal = class {
  constructor(initial, persist) {
    this.persist = persist;
    this.state = { version: 1, scripts: { ...initial.scripts } };
  }
  persist;
  state;
  writing;
  pending = [];
  current() {
    return { version: 1, scripts: { ...this.state.scripts } };
  }
  set(path9, entry) {
    this.state.scripts[path9] = entry;
    return this.save();
  }
  remove(path9) {
    delete this.state.scripts[path9];
    return this.save();
  }
  move(from, to) {
    const entry = this.state.scripts[from];
    if (entry) {
      delete this.state.scripts[from];
      this.state.scripts[to] = entry;
    }
    return this.save();
  }
  save() {
    const done = new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
    if (!this.writing) this.writing = this.drain();
    return done;
  }
  async drain() {
    while (this.pending.length > 0) {
      const waiting = this.pending;
      this.pending = [];
      try {
        await this.persist(this.current());
        for (const w of waiting) w.resolve();
      } catch (err) {
        for (const w of waiting) w.reject(err);
      }
    }
    this.writing = void 0;
  }
};

// src/car/proxy.ts
import { isIP } from "node:net";
function envValue(env, ...names) {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return void 0;
}
function ipv4ToNumber(address) {
  return address.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}
function inIpv4Cidr(host, cidr) {
  const [network, bitsText] = cidr.split("/");
  const bits = Number(bitsText);
  if (!network || isIP(network) !== 4 || isIP(host) !== 4 || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(ipv4ToNumber(host) / size) === Math.floor(ipv4ToNumber(network) / size);
}
function bypassedBy(entry, host, port) {
  if (entry === "*") return true;
  if (entry.includes("/")) return inIpv4Cidr(host, entry);
  let name = entry;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  if (bracketed) {
    name = bracketed[1];
    if (bracketed[2] && bracketed[2] !== port) return false;
  } else if (withPort) {
    name = withPort[1];
    if (withPort[2] !== port) return false;
  }
  name = name.replace(/^\*?\./, "").toLowerCase();
  if (!name) return false;
  return host === name || host.endsWith(`.${name}`);
}
function proxyFor(url, env) {
  const target = typeof url === "string" ? new URL(url) : url;
  const host = target.hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
  if (isLoopbackHost(host)) return void 0;
  const proxy = target.protocol === "https:" ? envValue(env, "https_proxy", "HTTPS_PROXY") : target.protocol === "http:" ? envValue(env, "http_proxy", "HTTP_PROXY") : void 0;
  if (!proxy) return void 0;
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  const noProxy = envValue(env, "no_proxy", "NO_PROXY") ?? "";
  for (const entry of noProxy.split(/[,\s]+/)) {
    if (entry && bypassedBy(entry.toLowerCase(), host, port)) return void 0;
  }
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}
function describeProxy(proxy) {
  try {
    const url = new URL(proxy);
    return `${url.protocol}//${url.host}`;
  } catch {
    return "the configured proxy";
  }
}

// src/car/http.ts
var TransportError = class extends Error {
  constructor(reason, message, notSent) {
    super(message);
    this.reason = reason;
    this.notSent = notSent;
    this.name = "TransportError";
  }
  reason;
  notSent;
};
var NOT_CONNECTED_CODES = /* @__PURE__ */ new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);
function errorCode(err) {
  const e = err;
  const code = e?.code ?? e?.errors?.[0]?.code ?? e?.cause?.code;
  return typeof code === "string" ? code : void 0;
}
function describeNetworkError(err) {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return code && !message.includes(code) ? `${code}: ${message}` : message || code || "unknown error";
}
var CarTransport = class {
  constructor(baseUrl, timeoutMs, env) {
    this.timeoutMs = timeoutMs;
    const url = new URL(baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
    const options = {
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connect: { timeout: Math.min(timeoutMs, 3e4) }
    };
    const proxy = proxyFor(url, env);
    this.createDispatcher = async () => {
      const { Agent: Agent2, ProxyAgent: ProxyAgent2 } = await Promise.resolve().then(() => (init_undici(), undici_exports));
      return proxy ? new ProxyAgent2({ ...options, uri: proxy }) : new Agent2(options);
    };
    this.route = proxy ? ` via ${describeProxy(proxy)}` : "";
  }
  timeoutMs;
  /** Loaded on the first call: a plan, or an apply with nothing to change, never pays undici's ~50 ms load. */
  dispatcher;
  createDispatcher;
  origin;
  basePath;
  /** For messages: "via http://proxy:3128", never the proxy's credentials. */
  route;
  async send(call) {
    if (call.signal?.aborted) throw new TransportError("aborted", "cancelled before it was sent", true);
    let dispatcher;
    try {
      dispatcher = await (this.dispatcher ??= this.createDispatcher());
    } catch (err) {
      this.dispatcher = void 0;
      throw new TransportError("network", describeNetworkError(err), true);
    }
    if (call.signal?.aborted) throw new TransportError("aborted", "cancelled before it was sent", true);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onAbort = () => controller.abort();
    call.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const response = await dispatcher.request({
        origin: this.origin,
        path: this.basePath + call.path,
        method: call.method,
        headers: call.headers,
        body: call.body,
        signal: controller.signal
      });
      const text = await response.body.text();
      return { status: response.statusCode, headers: response.headers, text };
    } catch (err) {
      const code = errorCode(err);
      if (timedOut || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
        throw new TransportError("timeout", `no answer within ${Math.round(this.timeoutMs / 1e3)} s`, false);
      }
      if (call.signal?.aborted) throw new TransportError("aborted", "cancelled while in flight", false);
      const tunnelRefused = code === "UND_ERR_ABORTED" && /Tunneling/i.test(err.message);
      const notSent = tunnelRefused || code !== void 0 && NOT_CONNECTED_CODES.has(code);
      throw new TransportError("network", describeNetworkError(err), notSent);
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener("abort", onAbort);
    }
  }
  async close() {
    const dispatcher = await this.dispatcher?.catch(() => void 0);
    await dispatcher?.close();
  }
};

// src/car/response.ts
var MESSAGE_LIMIT = 500;
function parseJsonObject(text) {
  try {
    const value = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? value : void 0;
  } catch {
    return void 0;
  }
}
function carMessage(text) {
  const message = parseJsonObject(text)?.message;
  if (typeof message === "string" && message.trim()) return message.trim();
  const body = text.trim();
  if (!body) return "(empty answer)";
  return body.length > MESSAGE_LIMIT ? `${body.slice(0, MESSAGE_LIMIT)}...` : body;
}
function envelopeError(json) {
  const code = json?.errorCode;
  if (code === void 0 || code === null || code === 0 || code === "") return void 0;
  if (typeof code === "string" && /^\s*0?\s*$/.test(code)) return void 0;
  const message = typeof json?.message === "string" && json.message.trim() ? json.message.trim() : "no message";
  return `${message} (errorCode ${typeof code === "string" || typeof code === "number" ? code : JSON.stringify(code)})`;
}
function asId(value) {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return value;
  if (typeof value === "string" && /^\s*\d+\s*$/.test(value)) {
    const id = Number(value);
    return Number.isSafeInteger(id) && id > 0 ? id : void 0;
  }
  return void 0;
}
function createdId(json) {
  const body = json?.body;
  const nested = body && typeof body === "object" ? asId(body.id) : void 0;
  return nested ?? asId(json?.id);
}

// src/car/wait.ts
import { setTimeout as delay } from "node:timers/promises";
var cancelled = () => new CarError("aborted", "the call was cancelled before it was sent", void 0, { notSent: true });
var realSleep = async (ms, signal) => {
  try {
    await delay(ms, void 0, { signal });
  } catch (err) {
    if (signal?.aborted) throw cancelled();
    throw err;
  }
};
function untilAborted(shared, signal) {
  if (!signal) return shared;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener("abort", onAbort, { once: true });
    shared.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      }
    );
  });
}
function backoffMs(retry, random) {
  return 500 * 2 ** (retry - 1) * (0.5 + random());
}

// src/car/auth.ts
var TOKEN_LIFETIME_MS = 4 * 60 * 60 * 1e3;
var RENEW_EARLY_MS = 5 * 60 * 1e3;
var AUTH_ATTEMPTS = 3;
function jwtExpiresAt(token) {
  const payload = token.split(".")[1];
  if (!payload) return void 0;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const exp = claims?.exp;
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1e3 : void 0;
  } catch {
    return void 0;
  }
}
function authForm(username, password) {
  return new URLSearchParams({ username, password, token: "true" }).toString();
}
function bearerValue(token) {
  return token.replace(/^\s*bearer\s+/i, "").trim();
}
async function requestToken(exchange) {
  const { transport } = exchange;
  for (let attempt = 1; ; attempt++) {
    let failure;
    try {
      exchange.onRequest();
      const answer = await transport.send({
        method: "POST",
        path: "/auth",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "*/*" },
        body: authForm(exchange.username, exchange.password)
      });
      const token = answer.text.trim();
      if (answer.status >= 200 && answer.status < 300 && token && !/\s/.test(token)) return token;
      if (answer.status === 401) throw new CarError("auth", "CAR refused the username/password at /auth (HTTP 401)", 401);
      if (answer.status < 500) {
        throw new CarError("auth", `CAR's /auth answered HTTP ${answer.status} instead of a token: ${carMessage(answer.text)}`, answer.status);
      }
      failure = `HTTP ${answer.status}: ${carMessage(answer.text)}`;
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      failure = `${err.message}${transport.route}`;
    }
    if (attempt >= AUTH_ATTEMPTS) {
      throw new CarError("auth", `could not get a token from CAR's /auth after ${attempt} attempts (${failure})`, void 0, { notSent: true });
    }
    const wait = backoffMs(attempt, exchange.random);
    exchange.log(`CAR /auth failed (${failure}); trying again in ${(wait / 1e3).toFixed(1)} s`);
    await exchange.sleep(wait);
  }
}
var TokenSource = class {
  constructor(options) {
    this.options = options;
    if (options.token) this.cached = { token: bearerValue(options.token), renewAt: Number.POSITIVE_INFINITY };
  }
  options;
  cached;
  pending;
  get renewable() {
    return !this.options.token && this.options.fetch !== void 0;
  }
  async current(signal) {
    if (this.cached && (!this.renewable || this.options.now() < this.cached.renewAt)) return this.cached.token;
    return (await untilAborted(this.fetchShared(), signal)).token;
  }
  /** After a 401 with `stale`: a new token, unless another caller already replaced it. */
  async renew(stale, signal) {
    if (this.cached?.token === stale) this.cached = void 0;
    return this.current(signal);
  }
  fetchShared() {
    if (!this.pending) {
      const fetch2 = this.options.fetch;
      if (!fetch2) return Promise.reject(new CarError("auth", "no credentials for CAR: give a token, or a username and password"));
      this.pending = fetch2().then((raw) => {
        const token = bearerValue(raw);
        const now = this.options.now();
        const exp = jwtExpiresAt(token);
        const expiresAt = exp !== void 0 && exp > now ? exp : now + TOKEN_LIFETIME_MS;
        const cached = { token, renewAt: expiresAt - Math.min(RENEW_EARLY_MS, (expiresAt - now) / 10) };
        this.cached = cached;
        return cached;
      }).finally(() => {
        this.pending = void 0;
      });
    }
    return this.pending;
  }
};

// src/car/call-slots.ts
var CallSlots = class {
  constructor(configured) {
    this.configured = configured;
    this.limit = configured;
  }
  configured;
  limit;
  running = 0;
  peak = 0;
  waiters = [];
  /** CAR's concurrency limit, from the latest answer that carried one. */
  carLimit(limit) {
    if (!Number.isFinite(limit) || limit < 1) return;
    this.limit = Math.min(this.configured, Math.floor(limit));
    this.wakeWaiters();
  }
  get capacity() {
    return this.limit;
  }
  /** The most calls that were ever in flight at once. */
  get maxInFlight() {
    return this.peak;
  }
  /** Resolves with the function that frees the slot. */
  async acquire(signal) {
    if (signal?.aborted) throw new CarError("aborted", "the call was cancelled before it was sent", void 0, { notSent: true });
    if (this.running < this.limit && this.waiters.length === 0) {
      this.running += 1;
    } else {
      await new Promise((resolve, reject) => {
        const onAbort = () => {
          const index = this.waiters.indexOf(ready);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(new CarError("aborted", "the call was cancelled before it was sent", void 0, { notSent: true }));
        };
        const ready = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        this.waiters.push(ready);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    }
    this.peak = Math.max(this.peak, this.running);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      this.wakeWaiters();
    };
  }
  wakeWaiters() {
    while (this.running < this.limit && this.waiters.length > 0) {
      this.running += 1;
      this.waiters.shift()();
    }
  }
};

// src/car/limits.ts
function header(headers, name) {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
function number(headers, name) {
  const text = header(headers, name)?.trim();
  if (!text || !/^\d+(\.\d+)?$/.test(text)) return void 0;
  return Number(text);
}
function retryAfterMs(headers, now) {
  const text = header(headers, "retry-after")?.trim();
  if (!text) return void 0;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1e3;
  const date = Date.parse(text);
  return Number.isNaN(date) ? void 0 : Math.max(0, date - now);
}
function readLimitHeaders(headers, now) {
  return {
    limit: number(headers, "x-ratelimit-limit"),
    windowSec: number(headers, "x-ratelimit-window-sec"),
    remaining: number(headers, "x-ratelimit-remaining"),
    toWaitSec: number(headers, "x-ratelimit-towait-sec"),
    retryAfterMs: retryAfterMs(headers, now),
    concurrencyLimit: number(headers, "x-concurrency-limit-limit"),
    concurrencyRunning: number(headers, "x-concurrency-limit-running")
  };
}
function speaksOfLimits(h) {
  return Object.values(h).some((value) => value !== void 0);
}
function isConcurrencyBlock(h) {
  return h.concurrencyLimit !== void 0 && h.concurrencyRunning !== void 0 && h.concurrencyRunning >= h.concurrencyLimit;
}
var WAIT_MARGIN_MS = 100;
var FALLBACK_WAIT_MS = 3e3;
function rateLimitWaitMs(h, random) {
  if (h.toWaitSec !== void 0 && h.toWaitSec > 0) return h.toWaitSec * 1e3 + WAIT_MARGIN_MS;
  if (h.retryAfterMs !== void 0) return h.retryAfterMs + WAIT_MARGIN_MS;
  return FALLBACK_WAIT_MS * (1 + random());
}
function concurrencyWaitMs(h, random) {
  if (h.toWaitSec !== void 0 && h.toWaitSec > 0) return h.toWaitSec * 1e3;
  return 250 + 500 * random();
}

// src/car/pacer.ts
var EXPIRY_MARGIN_MS = 50;
var PRUNE_FROM = 4096;
var Pacer = class {
  counted = [];
  bySeq = /* @__PURE__ */ new Map();
  seq = 0;
  limit;
  windowMs;
  reported;
  blockedUntil = 0;
  lastSentAt = Number.NEGATIVE_INFINITY;
  /** Milliseconds to wait before the next call may be sent; 0 = now. */
  delayMs(now) {
    let until = this.blockedUntil;
    const { limit, windowMs } = this;
    if (limit !== void 0 && windowMs !== void 0) {
      if (this.counted.length >= limit || this.counted.length > PRUNE_FROM) this.forgetExpired(now, windowMs);
      if (this.counted.length >= limit) {
        const expiries = this.counted.map((c) => (c.answeredAt ?? now) + windowMs + EXPIRY_MARGIN_MS).sort((a, b) => a - b);
        until = Math.max(until, expiries[this.counted.length - limit]);
      }
      if (this.reported && this.reported.remaining - (this.seq - this.reported.seq) <= 0) {
        until = Math.max(until, this.lastSentAt + windowMs / limit);
      }
    }
    return Math.max(0, until - now);
  }
  /** Records a call as sent now. Call right after `delayMs` returned 0, with no await between. */
  sent(now) {
    const entry = { seq: ++this.seq };
    this.counted.push(entry);
    this.bySeq.set(entry.seq, entry);
    this.lastSentAt = now;
    return { seq: entry.seq };
  }
  /**
   * Records the answer to a call. `counted` is false when CAR turned it away (409/429) or no answer
   * came from CAR at all; such a call does not use the window.
   */
  answered(ticket, headers, now, counted) {
    const entry = this.bySeq.get(ticket.seq);
    this.bySeq.delete(ticket.seq);
    if (headers?.limit !== void 0 && headers.limit > 0) this.limit = headers.limit;
    if (headers?.windowSec !== void 0 && headers.windowSec > 0) this.windowMs = headers.windowSec * 1e3;
    if (entry) {
      if (counted && this.windowMs !== void 0) entry.answeredAt = now;
      else this.counted.splice(this.counted.indexOf(entry), 1);
    }
    if (!headers) return;
    if (headers.remaining !== void 0 && (!this.reported || ticket.seq >= this.reported.seq)) {
      this.reported = { remaining: headers.remaining, seq: ticket.seq };
    }
  }
  /** Nobody sends before `until` (CAR said how long to wait). */
  blockUntil(until) {
    this.blockedUntil = Math.max(this.blockedUntil, until);
  }
  forgetExpired(now, windowMs) {
    for (let i = this.counted.length - 1; i >= 0; i--) {
      const answeredAt = this.counted[i].answeredAt;
      if (answeredAt !== void 0 && answeredAt + windowMs + EXPIRY_MARGIN_MS <= now) this.counted.splice(i, 1);
    }
  }
};

// src/car/redactor.ts
var MIN_SECRET_LENGTH = 3;
var Redactor = class {
  secrets = /* @__PURE__ */ new Set();
  add(...values) {
    for (const value of values) {
      if (!value || value.length < MIN_SECRET_LENGTH) continue;
      for (const form of [value, value.trim(), value.replace(/^\s*bearer\s+/i, ""), encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)]) {
        if (form.length >= MIN_SECRET_LENGTH) this.secrets.add(form);
      }
    }
  }
  /** `https_proxy=http://user:secret@proxy:3128` must not surface through an error about the proxy. */
  addProxyCredentials(env) {
    for (const name of ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"]) {
      const value = env[name];
      if (!value) continue;
      try {
        const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
        this.add(url.password, url.password ? decodeURIComponent(url.password) : void 0);
      } catch {
      }
    }
  }
  clean(text) {
    let result = text;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (result.includes(secret)) result = result.split(secret).join("***");
    }
    return result;
  }
};

// src/car/client.ts
var ACCEPT_CREATE = "application/vnd.qualys.car.api.v5.0+json";
var ACCEPT_UPDATE = "application/vnd.qualys.car.api.v4.0+json";
var UPDATE_ATTEMPTS = 3;
var UNSENT_ATTEMPTS = 3;
var RATE_LIMIT_RETRIES = 10;
var BARE_CONFLICT_RETRIES = 2;
var CONCURRENCY_RETRIES = 20;
var DEFAULT_MAX_WAIT_MS = 15 * 60 * 1e3;
var LOG_WAITS_FROM_MS = 1e3;
function seconds(ms) {
  return ms >= 6e4 ? `${Math.ceil(ms / 6e4)} min` : `${(ms / 1e3).toFixed(1)} s`;
}
function outcomeUnknown(spec) {
  return spec.idempotent ? "the change may or may not have been applied" : "the script may or may not have been created";
}
function locationHost(answer) {
  const location = answer.headers.location;
  const value = Array.isArray(location) ? location[0] : location;
  if (!value) return "an unnamed location";
  try {
    return new URL(value, "https://gateway.invalid").host;
  } catch {
    return "an unreadable location";
  }
}
var CarHttpClient = class {
  transport;
  tokens;
  slots;
  pacer = new Pacer();
  redactor = new Redactor();
  sleep;
  now;
  random;
  maxWaitMs;
  log;
  counters = { requests: 0, authRequests: 0, rateLimited: 0, retries: 0 };
  closed = false;
  constructor(options) {
    const { settings } = options;
    this.redactor.add(settings.token, settings.password);
    const baseUrl = normalizeBaseUrl(settings.baseUrl);
    if (!settings.token && !(settings.username && settings.password !== void 0)) {
      throw new Error("CAR needs credentials: a token, or a username and password");
    }
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new Error(`concurrency must be a whole number of 1 or more, not ${options.concurrency}`);
    }
    if (!(settings.timeoutMs > 0)) throw new Error(`the CAR timeout must be positive, not ${settings.timeoutMs} ms`);
    const env = options.env ?? process.env;
    this.redactor.addProxyCredentials(env);
    const userLog = options.log ?? (() => {
    });
    this.log = (message) => userLog(this.redactor.clean(message));
    const sleep2 = options.sleep ?? realSleep;
    this.sleep = async (ms, signal) => {
      try {
        await sleep2(ms, signal);
      } catch (err) {
        if (signal?.aborted) throw new CarError("aborted", "the call was cancelled before it was sent", void 0, { notSent: true });
        throw err;
      }
    };
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.maxWaitMs = options.rateLimitMaxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.transport = new CarTransport(baseUrl, settings.timeoutMs, env);
    this.slots = new CallSlots(options.concurrency);
    const { username, password } = settings;
    this.tokens = new TokenSource({
      token: settings.token,
      now: this.now,
      fetch: username && password !== void 0 ? async () => {
        this.log(`requesting a CAR token at /auth${this.transport.route}`);
        const token = await requestToken({
          transport: this.transport,
          username,
          password,
          sleep: this.sleep,
          random: this.random,
          log: this.log,
          onRequest: () => {
            this.counters.requests += 1;
            this.counters.authRequests += 1;
          }
        });
        this.redactor.add(token);
        return token;
      } : void 0
    });
  }
  async createScript(body, signal) {
    const what = "the create";
    const answer = await this.guarded(
      () => this.call({ idempotent: false, method: "POST", path: "/sm/v5/script", accept: ACCEPT_CREATE, body: JSON.stringify(body), what, signal })
    );
    const json = parseJsonObject(answer.text);
    const refusal = envelopeError(json);
    const id = createdId(json);
    if (id !== void 0) {
      if (refusal) this.log(`CAR created script ${id} but reported: ${refusal}`);
      return id;
    }
    if (refusal) throw this.error("rejected", `CAR rejected ${what} (HTTP ${answer.status}): ${refusal}`, answer.status);
    throw this.error(
      "unknown-outcome",
      `CAR answered HTTP ${answer.status} to ${what} without a readable script id (${carMessage(answer.text)}); the script may have been created`,
      answer.status
    );
  }
  async updateScript(id, body, signal) {
    const what = `the update of script ${id}`;
    if (!Number.isSafeInteger(id) || id < 1) throw new CarError("rejected", `${id} is not a CAR script id; ${what} was not sent`, void 0, { notSent: true });
    const answer = await this.guarded(
      () => this.call({ idempotent: true, method: "PATCH", path: `/sm/v4/script/${id}`, accept: ACCEPT_UPDATE, body: JSON.stringify(body), what, signal })
    );
    const refusal = envelopeError(parseJsonObject(answer.text));
    if (refusal) throw this.error("rejected", `CAR rejected ${what} (HTTP ${answer.status}): ${refusal}`, answer.status);
  }
  stats() {
    return { ...this.counters, maxInFlight: this.slots.maxInFlight };
  }
  async close() {
    if (this.closed) return;
    this.closed = true;
    await this.transport.close();
  }
  /** Every error leaves through here, so no message can carry a token or password. */
  async guarded(run) {
    try {
      return await run();
    } catch (err) {
      if (err instanceof CarError) {
        const message2 = this.redactor.clean(err.message);
        throw message2 === err.message ? err : new CarError(err.kind, message2, err.status, { notSent: err.notSent });
      }
      const message = this.redactor.clean(err instanceof Error ? err.message : String(err));
      throw new CarError("unknown-outcome", `unexpected failure talking to CAR: ${message}`);
    }
  }
  error(kind, message, status, notSent = false) {
    return new CarError(kind, this.redactor.clean(message), status, { notSent });
  }
  /** Sends one call until it gets a 2xx (returned) or a final answer (thrown as CarError). */
  async call(spec) {
    const { signal, what } = spec;
    if (this.closed) throw this.error("aborted", `the CAR client is closed; ${what} was not sent`, void 0, true);
    let token = await this.tokens.current(signal);
    let renewed = false;
    let failures = 0;
    let limitRetries = 0;
    let concurrencyRetries = 0;
    const waited = { ms: 0 };
    for (; ; ) {
      let answer;
      let failure;
      const release = await this.slots.acquire(signal);
      let ticket;
      try {
        await this.paced(spec, waited);
        ticket = this.pacer.sent(this.now());
        this.counters.requests += 1;
        answer = await this.transport.send({
          method: spec.method,
          path: spec.path,
          headers: { Authorization: `Bearer ${token}`, Accept: spec.accept, "Content-Type": "application/json" },
          body: spec.body,
          signal
        });
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        failure = err;
      } finally {
        release();
      }
      if (failure) {
        this.pacer.answered(ticket, void 0, this.now(), !failure.notSent);
        if (failure.reason === "aborted") {
          const when = failure.notSent ? "before it was sent" : `while in flight; ${outcomeUnknown(spec)}`;
          throw this.error("aborted", `${what} was cancelled ${when}`, void 0, failure.notSent);
        }
        failures += 1;
        const attempts = failure.notSent ? UNSENT_ATTEMPTS : spec.idempotent ? UPDATE_ATTEMPTS : 1;
        if (failures < attempts) {
          await this.backoff(spec, failures, failure.message, failure.notSent);
          continue;
        }
        throw this.transportError(spec, failure, failures);
      }
      const status = answer.status;
      const limits = readLimitHeaders(answer.headers, this.now());
      if (limits.concurrencyLimit !== void 0) this.slots.carLimit(limits.concurrencyLimit);
      const blocked = status === 409 || status === 429;
      this.pacer.answered(ticket, limits, this.now(), !blocked);
      if (status >= 200 && status < 300) return answer;
      if (status === 401) {
        if (this.tokens.renewable && !renewed) {
          renewed = true;
          this.counters.retries += 1;
          this.log(`CAR answered 401 to ${what}: renewing the token and sending it again`);
          token = await this.tokens.renew(token, signal);
          continue;
        }
        throw this.error(
          "auth",
          this.tokens.renewable ? `CAR answered HTTP 401 to ${what} even with a fresh token: check that the API user may manage CAR scripts` : `CAR refused the token (HTTP 401) for ${what}: it may have expired (tokens live 4 hours); give a new token, or a username and password`,
          401
        );
      }
      if (blocked) {
        this.counters.rateLimited += 1;
        if (isConcurrencyBlock(limits) && concurrencyRetries < CONCURRENCY_RETRIES) {
          concurrencyRetries += 1;
          this.counters.retries += 1;
          await this.sleep(concurrencyWaitMs(limits, this.random), signal);
          continue;
        }
        const bare = status === 409 && !speaksOfLimits(limits);
        if (bare && limitRetries >= BARE_CONFLICT_RETRIES) {
          throw this.error("rejected", `CAR rejected ${what} (HTTP 409): ${carMessage(answer.text)}`, 409);
        }
        const wait = rateLimitWaitMs(limits, this.random);
        if (limitRetries >= RATE_LIMIT_RETRIES || waited.ms + wait > this.maxWaitMs) {
          throw this.error(
            "rate-limited",
            `CAR's rate limit turned ${what} away ${limitRetries + 1} times (HTTP ${status}, next wait ${seconds(wait)}); it was not processed: run again later, or use max-writes to spread the sync over several runs`,
            status
          );
        }
        limitRetries += 1;
        this.counters.retries += 1;
        this.log(`CAR rate limit (HTTP ${status}): sending ${what} again in ${seconds(wait)}`);
        this.pacer.blockUntil(this.now() + wait);
        continue;
      }
      const message = carMessage(answer.text);
      if (status >= 300 && status < 400) {
        const redirect = `CAR answered HTTP ${status} to ${what}, redirecting to ${locationHost(answer)}; car-sync does not follow redirects so the token never leaves the gateway: check the platform or base URL`;
        throw this.error(status === 303 && !spec.idempotent ? "unknown-outcome" : "rejected", redirect, status);
      }
      if (status === 404) throw this.error("not-found", `CAR answered HTTP 404 (not found) to ${what}: ${message}`, 404);
      if (status === 403) throw this.error("forbidden", `CAR answered HTTP 403 (forbidden) to ${what}: ${message}`, 403);
      if (status >= 400 && status < 500) throw this.error("rejected", `CAR rejected ${what} (HTTP ${status}): ${message}`, status);
      failures += 1;
      if (spec.idempotent && failures < UPDATE_ATTEMPTS) {
        await this.backoff(spec, failures, `HTTP ${status}`, false);
        continue;
      }
      const tries = failures > 1 ? ` after ${failures} attempts` : "";
      throw this.error(
        "unknown-outcome",
        `CAR answered HTTP ${status} to ${what}${tries}: ${message}; ${outcomeUnknown(spec)}`,
        status
      );
    }
  }
  /** Waits until the pacer lets a call go; gives up unsent past the longest wait allowed. */
  async paced(spec, waited) {
    for (; ; ) {
      const delay2 = this.pacer.delayMs(this.now());
      if (delay2 <= 0) return;
      if (waited.ms + delay2 > this.maxWaitMs) {
        throw this.error(
          "rate-limited",
          `CAR's rate limit leaves no room for ${spec.what} for another ${seconds(delay2)}, longer than car-sync waits (${seconds(this.maxWaitMs)} per call); it was not sent: run again later, or use max-writes to spread the sync over several runs`,
          void 0,
          true
        );
      }
      if (delay2 >= LOG_WAITS_FROM_MS) this.log(`pacing for CAR's rate limit: ${spec.what} waits ${seconds(delay2)}`);
      await this.sleep(delay2, spec.signal);
      waited.ms += delay2;
    }
  }
  /** `lastNotSent`: whether the failed attempt provably never reached CAR, for a cancel during the wait. */
  async backoff(spec, failures, reason, lastNotSent) {
    const wait = backoffMs(failures, this.random);
    this.counters.retries += 1;
    this.log(`${spec.what} failed${this.transport.route} (${reason}); trying again in ${seconds(wait)}`);
    try {
      await this.sleep(wait, spec.signal);
    } catch (err) {
      if (err instanceof CarError && err.kind === "aborted" && !lastNotSent) {
        throw this.error("aborted", `${spec.what} was cancelled while waiting to be sent again; ${outcomeUnknown(spec)}`);
      }
      throw err;
    }
  }
  transportError(spec, failure, attempts) {
    const route = this.transport.route;
    const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
    if (failure.notSent) {
      return this.error("unknown-outcome", `could not reach CAR${route}${tries} (${failure.message}); ${spec.what} was not sent`, void 0, true);
    }
    const outcome = outcomeUnknown(spec);
    if (failure.reason === "timeout") return this.error("unknown-outcome", `${failure.message} from CAR${route} to ${spec.what}${tries}; ${outcome}`);
    return this.error("unknown-outcome", `the connection to CAR${route} failed during ${spec.what}${tries} (${failure.message}); ${outcome}`);
  }
};

// src/repo/load.ts
import path6 from "node:path";

// src/repo/defaults.ts
import path3 from "node:path";
function parentFolder(folder) {
  const parent = path3.posix.dirname(folder);
  return parent === "." ? "" : parent;
}
function defaultsChain(folder, scriptsDir, byFolder) {
  const chain = [];
  for (let current = folder; ; current = parentFolder(current)) {
    const defaults2 = byFolder.get(current);
    if (defaults2) chain.unshift(defaults2);
    if (current === scriptsDir || current === "") break;
  }
  return chain;
}
function mergeLayers(layers) {
  const merged = { fields: {}, source: {} };
  for (const layer of layers) {
    for (const [field, value] of Object.entries(layer.fields)) {
      merged.fields[field] = value;
      merged.source[field] = layer.parsed;
    }
  }
  return merged;
}

// src/repo/discover.ts
import { promises as fs2, readdirSync } from "node:fs";
import path4 from "node:path";
var KINDS = {
  "script.sh": "script",
  "script.ps1": "script",
  "meta.yaml": "meta",
  "defaults.yaml": "defaults"
};
var NEAR_NAMES = {
  "meta.yml": "meta.yaml",
  "defaults.yml": "defaults.yaml",
  "default.yaml": "defaults.yaml",
  "default.yml": "defaults.yaml"
};
function nameProblem(file, name) {
  const lower = name.toLowerCase();
  const meant = NEAR_NAMES[lower] ?? (KINDS[lower] && lower !== name ? lower : void 0);
  if (meant === void 0) return void 0;
  return { file, line: 1, column: 1, message: `car-sync only reads files named ${meant}; rename this file to ${meant}` };
}
function isInsideOrEqual(parent, child) {
  const relative = path4.relative(parent, child);
  return relative === "" || !relative.startsWith("..") && !path4.isAbsolute(relative);
}
var byPath2 = (a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
function listTree(dir, prefix = "", entries = []) {
  for (const dirent of readdirSync(dir, { withFileTypes: true })) {
    const name = dirent.name;
    if (name.startsWith(".") || name === "node_modules") continue;
    const entryPath = prefix ? `${prefix}/${name}` : name;
    const absolute = dir.endsWith(path4.sep) ? dir + name : dir + path4.sep + name;
    if (dirent.isDirectory()) listTree(absolute, entryPath, entries);
    else entries.push({ path: entryPath, absolute, name, dirent });
  }
  return entries;
}
async function discoverFiles(root, scriptsDir) {
  const problems = [];
  const files = [];
  const scriptsDirPath = scriptsDir === "" || scriptsDir === "." ? "" : scriptsDir.replace(/\/+$/, "");
  const shownDir = scriptsDirPath || ".";
  const missing = (message) => ({
    scriptsDir: scriptsDirPath,
    files,
    problems: [{ file: shownDir, line: 1, column: 1, message }],
    scriptsDirFound: false
  });
  let rootReal;
  let scriptsReal;
  try {
    rootReal = await fs2.realpath(root);
    scriptsReal = await fs2.realpath(path4.join(root, scriptsDirPath));
  } catch {
    return missing(`scripts folder "${shownDir}" not found in ${root}; create it, or set scripts-dir to the folder that holds your scripts`);
  }
  if (!(await fs2.stat(scriptsReal)).isDirectory()) {
    return missing(`"${shownDir}" is a file, not a folder; set scripts-dir to the folder that holds your scripts`);
  }
  if (!isInsideOrEqual(rootReal, scriptsReal)) {
    return missing(`scripts folder "${shownDir}" is a symlink that leads outside the repository; car-sync only reads files inside it`);
  }
  const walk = async (dirReal, dirPath, chain) => {
    for (const entry of listTree(dirReal)) {
      const file = dirPath ? `${dirPath}/${entry.path}` : entry.path;
      if (entry.dirent.isSymbolicLink()) {
        await followLink(file, entry.absolute, entry.name, chain);
      } else if (entry.dirent.isFile()) {
        addFile(file, entry.absolute, entry.name);
      }
    }
  };
  const addFile = (file, absolutePath, name) => {
    const kind = KINDS[name];
    if (kind) files.push({ path: file, absolutePath, kind });
    else {
      const problem = nameProblem(file, name);
      if (problem) problems.push(problem);
    }
  };
  const followLink = async (file, absolute, name, chain) => {
    const target = await fs2.readlink(absolute).catch(() => "?");
    let real3;
    try {
      real3 = await fs2.realpath(absolute);
    } catch {
      if (KINDS[name]) problems.push({ file, line: 1, column: 1, message: `symlink to "${target}" leads nowhere; the file it points to does not exist` });
      return;
    }
    if (!isInsideOrEqual(rootReal, real3)) {
      problems.push({ file, line: 1, column: 1, message: `symlink to "${target}" leads outside the repository and is refused; copy the file into the repository instead` });
      return;
    }
    const stats = await fs2.stat(real3);
    if (stats.isFile()) {
      addFile(file, real3, name);
    } else if (stats.isDirectory()) {
      const linkFolderReal = path4.dirname(absolute);
      if ([...chain, linkFolderReal].some((walked) => isInsideOrEqual(real3, walked))) {
        problems.push({ file, line: 1, column: 1, message: `symlink to "${target}" leads back into a folder that contains it; it is skipped to avoid an endless loop` });
        return;
      }
      await walk(real3, file, [...chain, real3]);
    }
  };
  await walk(scriptsReal, scriptsDirPath, [scriptsReal]);
  files.sort(byPath2);
  return { scriptsDir: scriptsDirPath, files, problems, scriptsDirFound: true };
}

// src/repo/normalize.ts
function defaultPlatform(scriptPath) {
  return scriptPath.endsWith(".ps1") ? "WINDOWS" : "LINUX";
}
function singularUnit(unit) {
  return unit.replace(/S$/, "");
}
function toScriptMeta(fields, scriptPath) {
  const f = fields;
  const meta2 = {
    title: f.title,
    description: f.description,
    platform: f.platform ?? defaultPlatform(scriptPath),
    severity: f.severity,
    threshold: f.threshold,
    thresholdTimeUnit: f.thresholdTimeUnit === void 0 ? void 0 : singularUnit(f.thresholdTimeUnit),
    typeId: f.typeId,
    languageId: f.languageId,
    categoryId: f.categoryId,
    scriptApprovalUserConsent: f.scriptApprovalUserConsent
  };
  const parameters = fields.parameters;
  if (parameters !== void 0) {
    meta2.parameters = Object.fromEntries(Object.entries(parameters).map(([name, value]) => [name, String(value)]));
  }
  const control = fields.autorScriptsMetadata;
  if (control !== void 0) meta2.autorScriptsMetadata = { ...control, cid: String(control.cid) };
  for (const key of Object.keys(meta2)) {
    if (meta2[key] === void 0) delete meta2[key];
  }
  return meta2;
}

// src/repo/read.ts
import { readFileSync } from "node:fs";

// src/repo/content.ts
import { isUtf8 } from "node:buffer";
var SCRIPT_MAX_BYTES = 512e3;
var SCRIPT_WARN_BYTES = 5e5;
var UTF8_BOM = Buffer.from([239, 187, 191]);
function positionOfByte(content2, offset) {
  let line = 1;
  let lineStart = 0;
  for (let i = content2.indexOf(10); i >= 0 && i < offset; i = content2.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: content2.toString("utf8", lineStart, offset).length + 1 };
}
function firstInvalidUtf8Offset(content2) {
  for (let i = 0; i < content2.length; ) {
    const lead = content2[i];
    if (lead < 128) {
      i++;
      continue;
    }
    let length;
    let low = 128;
    let high = 191;
    if (lead >= 194 && lead <= 223) length = 2;
    else if (lead >= 224 && lead <= 239) {
      length = 3;
      if (lead === 224) low = 160;
      if (lead === 237) high = 159;
    } else if (lead >= 240 && lead <= 244) {
      length = 4;
      if (lead === 240) low = 144;
      if (lead === 244) high = 143;
    } else return i;
    for (let k = 1; k < length; k++) {
      const byte = content2[i + k];
      if (byte === void 0) return i;
      if (k === 1 ? byte < low || byte > high : byte < 128 || byte > 191) return i;
    }
    i += length;
  }
  return -1;
}
function encodingProblems(file, content2) {
  const problems = [];
  if (!isUtf8(content2)) {
    const offset = firstInvalidUtf8Offset(content2);
    const byte = content2[offset] ?? 0;
    problems.push({
      file,
      ...positionOfByte(content2, offset),
      message: `not valid UTF-8 (byte 0x${byte.toString(16).padStart(2, "0")}); save the file as UTF-8`
    });
  }
  const nul = content2.indexOf(0);
  if (nul >= 0) {
    problems.push({ file, ...positionOfByte(content2, nul), message: "holds a NUL byte; a script must be text, not binary" });
  }
  return problems;
}
var BLANK_BYTES = /* @__PURE__ */ new Set([32, 9, 10, 11, 12, 13]);
function isBlank(content2) {
  for (const byte of content2) if (!BLANK_BYTES.has(byte)) return false;
  return true;
}
function scriptContentProblems(file, content2) {
  const problems = [];
  const warnings = [];
  const whole = { file, line: 1, column: 1 };
  if (content2.length === 0) {
    problems.push({ ...whole, message: "script is empty" });
    return { problems, warnings };
  }
  if (content2.length > SCRIPT_MAX_BYTES) {
    problems.push({ ...whole, message: `script is ${content2.length.toLocaleString("en-US")} bytes; CAR accepts at most ${SCRIPT_MAX_BYTES.toLocaleString("en-US")} bytes` });
  } else if (content2.length > SCRIPT_WARN_BYTES) {
    warnings.push({ ...whole, message: `script is ${content2.length.toLocaleString("en-US")} bytes, over CAR's documented 500 KB; CAR may refuse it if that means 500,000 bytes` });
  }
  const encoding = encodingProblems(file, content2);
  problems.push(...encoding);
  if (encoding.length === 0 && isBlank(content2)) {
    problems.push({ ...whole, message: "script holds only whitespace" });
  }
  if (file.endsWith(".sh")) {
    if (content2.subarray(0, 3).equals(UTF8_BOM)) {
      problems.push({ ...whole, message: "shell script starts with a UTF-8 byte order mark, which breaks its first line; save it without BOM" });
    }
    const crlf = content2.indexOf("\r\n");
    if (crlf >= 0) {
      problems.push({
        file,
        ...positionOfByte(content2, crlf),
        message: 'shell script has CRLF (Windows) line endings, which break bash; convert it to LF (dos2unix) and add "*.sh text eol=lf" to .gitattributes'
      });
    }
  }
  return { problems, warnings };
}

// src/repo/did-you-mean.ts
function levenshtein(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
function didYouMean(word, candidates) {
  const lower = word.toLowerCase();
  const sameIgnoringCase = candidates.find((c) => c.toLowerCase() === lower);
  if (sameIgnoringCase !== void 0) return sameIgnoringCase;
  let best;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = levenshtein(lower, candidate.toLowerCase());
    if (distance < bestDistance && distance < Math.min(word.length, candidate.length)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

// src/repo/validators.ts
var meta = validate0;
var schema0 = { "$schema": "http://json-schema.org/draft-07/schema#", "title": "car-sync meta.yaml", "description": "Metadata of one Qualys CAR script: the meta.yaml beside script.sh or script.ps1. Field names are CAR's own (POST /sm/v5/script).", "type": "object", "required": ["title"], "additionalProperties": false, "properties": { "title": { "description": "The script's title in CAR. Required, and unique across the repository (case-insensitive).", "type": "string", "minLength": 1, "pattern": "\\S" }, "description": { "description": "Free text shown in CAR.", "type": "string" }, "platform": { "description": "Target platform. Default from the extension: .ps1 WINDOWS, .sh LINUX. A .ps1 script must be WINDOWS; a .sh script must not be.", "enum": ["WINDOWS", "LINUX", "UNIX", "MAC"] }, "severity": { "description": "1 (lowest) to 5 (highest).", "type": "integer", "minimum": 1, "maximum": 5 }, "threshold": { "description": "How long the script may run, in thresholdTimeUnit; set both or neither.", "type": "integer", "minimum": 1 }, "thresholdTimeUnit": { "description": "Unit of threshold. The plural forms of older API versions are accepted and sent in the singular.", "enum": ["SECOND", "MINUTE", "HOUR", "SECONDS", "MINUTES", "HOURS"] }, "typeId": { "description": "The tenant's script type id (Custom Script, Custom QID, Control ID Remediation).", "type": "integer", "minimum": 1 }, "languageId": { "description": "The tenant's platform and language pair id (GET /sm/v1/script-language).", "type": "integer", "minimum": 1 }, "categoryId": { "description": "The tenant's script category id.", "type": "integer", "minimum": 1 }, "scriptApprovalUserConsent": { "description": "Create the script in the approval state.", "type": "boolean" }, "parameters": { "description": "Parameter name -> default value. Sent to CAR as hasParameters and base64 params.", "type": "object", "propertyNames": { "minLength": 1 }, "additionalProperties": { "type": ["string", "number", "boolean"] } }, "autorScriptsMetadata": { "description": "Control ID remediation details (the spelling is Qualys's).", "type": "object", "required": ["cid", "tech"], "additionalProperties": false, "properties": { "cid": { "description": 'The control ID number, e.g. "994911".', "type": ["string", "integer"], "pattern": "^[0-9]+$", "minimum": 1 }, "tech": { "description": 'Technologies the control applies to, e.g. "Ubuntu 20.x".', "type": "array", "minItems": 1, "items": { "type": "string", "minLength": 1 } }, "policies": { "description": "Policies the control belongs to.", "type": "array", "items": { "type": "string", "minLength": 1 } }, "displayName": { "description": "Name shown for the remediation.", "type": "string" }, "subType": { "description": "Response or Detection.", "enum": ["Response", "Detection"] } } } } };
var func0 = Object.prototype.hasOwnProperty;
var func1 = require_ucs2length().default;
var pattern0 = new RegExp("\\S", "u");
var pattern1 = new RegExp("^[0-9]+$", "u");
function validate0(data, { instancePath = "", parentData, parentDataProperty, rootData = data } = {}) {
  let vErrors = null;
  let errors = 0;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.title === void 0) {
      const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "title" }, message: "must have required property 'title'", schema: schema0.required, parentSchema: schema0, data };
      if (vErrors === null) {
        vErrors = [err0];
      } else {
        vErrors.push(err0);
      }
      errors++;
    }
    for (const key0 in data) {
      if (!func0.call(schema0.properties, key0)) {
        const err1 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema0, data };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.title !== void 0) {
      let data0 = data.title;
      if (typeof data0 === "string") {
        if (func1(data0) < 1) {
          const err2 = { instancePath: instancePath + "/title", schemaPath: "#/properties/title/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema0.properties.title, data: data0 };
          if (vErrors === null) {
            vErrors = [err2];
          } else {
            vErrors.push(err2);
          }
          errors++;
        }
        if (!pattern0.test(data0)) {
          const err3 = { instancePath: instancePath + "/title", schemaPath: "#/properties/title/pattern", keyword: "pattern", params: { pattern: "\\S" }, message: 'must match pattern "\\S"', schema: "\\S", parentSchema: schema0.properties.title, data: data0 };
          if (vErrors === null) {
            vErrors = [err3];
          } else {
            vErrors.push(err3);
          }
          errors++;
        }
      } else {
        const err4 = { instancePath: instancePath + "/title", schemaPath: "#/properties/title/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema0.properties.title.type, parentSchema: schema0.properties.title, data: data0 };
        if (vErrors === null) {
          vErrors = [err4];
        } else {
          vErrors.push(err4);
        }
        errors++;
      }
    }
    if (data.description !== void 0) {
      let data1 = data.description;
      if (typeof data1 !== "string") {
        const err5 = { instancePath: instancePath + "/description", schemaPath: "#/properties/description/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema0.properties.description.type, parentSchema: schema0.properties.description, data: data1 };
        if (vErrors === null) {
          vErrors = [err5];
        } else {
          vErrors.push(err5);
        }
        errors++;
      }
    }
    if (data.platform !== void 0) {
      let data2 = data.platform;
      if (!(data2 === "WINDOWS" || data2 === "LINUX" || data2 === "UNIX" || data2 === "MAC")) {
        const err6 = { instancePath: instancePath + "/platform", schemaPath: "#/properties/platform/enum", keyword: "enum", params: { allowedValues: schema0.properties.platform.enum }, message: "must be equal to one of the allowed values", schema: schema0.properties.platform.enum, parentSchema: schema0.properties.platform, data: data2 };
        if (vErrors === null) {
          vErrors = [err6];
        } else {
          vErrors.push(err6);
        }
        errors++;
      }
    }
    if (data.severity !== void 0) {
      let data3 = data.severity;
      if (!(typeof data3 == "number" && (!(data3 % 1) && !isNaN(data3)) && isFinite(data3))) {
        const err7 = { instancePath: instancePath + "/severity", schemaPath: "#/properties/severity/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema0.properties.severity.type, parentSchema: schema0.properties.severity, data: data3 };
        if (vErrors === null) {
          vErrors = [err7];
        } else {
          vErrors.push(err7);
        }
        errors++;
      }
      if (typeof data3 == "number" && isFinite(data3)) {
        if (data3 > 5 || isNaN(data3)) {
          const err8 = { instancePath: instancePath + "/severity", schemaPath: "#/properties/severity/maximum", keyword: "maximum", params: { comparison: "<=", limit: 5 }, message: "must be <= 5", schema: 5, parentSchema: schema0.properties.severity, data: data3 };
          if (vErrors === null) {
            vErrors = [err8];
          } else {
            vErrors.push(err8);
          }
          errors++;
        }
        if (data3 < 1 || isNaN(data3)) {
          const err9 = { instancePath: instancePath + "/severity", schemaPath: "#/properties/severity/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema0.properties.severity, data: data3 };
          if (vErrors === null) {
            vErrors = [err9];
          } else {
            vErrors.push(err9);
          }
          errors++;
        }
      }
    }
    if (data.threshold !== void 0) {
      let data4 = data.threshold;
      if (!(typeof data4 == "number" && (!(data4 % 1) && !isNaN(data4)) && isFinite(data4))) {
        const err10 = { instancePath: instancePath + "/threshold", schemaPath: "#/properties/threshold/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema0.properties.threshold.type, parentSchema: schema0.properties.threshold, data: data4 };
        if (vErrors === null) {
          vErrors = [err10];
        } else {
          vErrors.push(err10);
        }
        errors++;
      }
      if (typeof data4 == "number" && isFinite(data4)) {
        if (data4 < 1 || isNaN(data4)) {
          const err11 = { instancePath: instancePath + "/threshold", schemaPath: "#/properties/threshold/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema0.properties.threshold, data: data4 };
          if (vErrors === null) {
            vErrors = [err11];
          } else {
            vErrors.push(err11);
          }
          errors++;
        }
      }
    }
    if (data.thresholdTimeUnit !== void 0) {
      let data5 = data.thresholdTimeUnit;
      if (!(data5 === "SECOND" || data5 === "MINUTE" || data5 === "HOUR" || data5 === "SECONDS" || data5 === "MINUTES" || data5 === "HOURS")) {
        const err12 = { instancePath: instancePath + "/thresholdTimeUnit", schemaPath: "#/properties/thresholdTimeUnit/enum", keyword: "enum", params: { allowedValues: schema0.properties.thresholdTimeUnit.enum }, message: "must be equal to one of the allowed values", schema: schema0.properties.thresholdTimeUnit.enum, parentSchema: schema0.properties.thresholdTimeUnit, data: data5 };
        if (vErrors === null) {
          vErrors = [err12];
        } else {
          vErrors.push(err12);
        }
        errors++;
      }
    }
    if (data.typeId !== void 0) {
      let data6 = data.typeId;
      if (!(typeof data6 == "number" && (!(data6 % 1) && !isNaN(data6)) && isFinite(data6))) {
        const err13 = { instancePath: instancePath + "/typeId", schemaPath: "#/properties/typeId/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema0.properties.typeId.type, parentSchema: schema0.properties.typeId, data: data6 };
        if (vErrors === null) {
          vErrors = [err13];
        } else {
          vErrors.push(err13);
        }
        errors++;
      }
      if (typeof data6 == "number" && isFinite(data6)) {
        if (data6 < 1 || isNaN(data6)) {
          const err14 = { instancePath: instancePath + "/typeId", schemaPath: "#/properties/typeId/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema0.properties.typeId, data: data6 };
          if (vErrors === null) {
            vErrors = [err14];
          } else {
            vErrors.push(err14);
          }
          errors++;
        }
      }
    }
    if (data.languageId !== void 0) {
      let data7 = data.languageId;
      if (!(typeof data7 == "number" && (!(data7 % 1) && !isNaN(data7)) && isFinite(data7))) {
        const err15 = { instancePath: instancePath + "/languageId", schemaPath: "#/properties/languageId/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema0.properties.languageId.type, parentSchema: schema0.properties.languageId, data: data7 };
        if (vErrors === null) {
          vErrors = [err15];
        } else {
          vErrors.push(err15);
        }
        errors++;
      }
      if (typeof data7 == "number" && isFinite(data7)) {
        if (data7 < 1 || isNaN(data7)) {
          const err16 = { instancePath: instancePath + "/languageId", schemaPath: "#/properties/languageId/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema0.properties.languageId, data: data7 };
          if (vErrors === null) {
            vErrors = [err16];
          } else {
            vErrors.push(err16);
          }
          errors++;
        }
      }
    }
    if (data.categoryId !== void 0) {
      let data8 = data.categoryId;
      if (!(typeof data8 == "number" && (!(data8 % 1) && !isNaN(data8)) && isFinite(data8))) {
        const err17 = { instancePath: instancePath + "/categoryId", schemaPath: "#/properties/categoryId/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema0.properties.categoryId.type, parentSchema: schema0.properties.categoryId, data: data8 };
        if (vErrors === null) {
          vErrors = [err17];
        } else {
          vErrors.push(err17);
        }
        errors++;
      }
      if (typeof data8 == "number" && isFinite(data8)) {
        if (data8 < 1 || isNaN(data8)) {
          const err18 = { instancePath: instancePath + "/categoryId", schemaPath: "#/properties/categoryId/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema0.properties.categoryId, data: data8 };
          if (vErrors === null) {
            vErrors = [err18];
          } else {
            vErrors.push(err18);
          }
          errors++;
        }
      }
    }
    if (data.scriptApprovalUserConsent !== void 0) {
      let data9 = data.scriptApprovalUserConsent;
      if (typeof data9 !== "boolean") {
        const err19 = { instancePath: instancePath + "/scriptApprovalUserConsent", schemaPath: "#/properties/scriptApprovalUserConsent/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema0.properties.scriptApprovalUserConsent.type, parentSchema: schema0.properties.scriptApprovalUserConsent, data: data9 };
        if (vErrors === null) {
          vErrors = [err19];
        } else {
          vErrors.push(err19);
        }
        errors++;
      }
    }
    if (data.parameters !== void 0) {
      let data10 = data.parameters;
      if (data10 && typeof data10 == "object" && !Array.isArray(data10)) {
        for (const key1 in data10) {
          const _errs22 = errors;
          if (typeof key1 === "string") {
            if (func1(key1) < 1) {
              const err20 = { instancePath: instancePath + "/parameters", schemaPath: "#/properties/parameters/propertyNames/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema0.properties.parameters.propertyNames, data: key1, propertyName: key1 };
              if (vErrors === null) {
                vErrors = [err20];
              } else {
                vErrors.push(err20);
              }
              errors++;
            }
          }
          var valid1 = _errs22 === errors;
          if (!valid1) {
            const err21 = { instancePath: instancePath + "/parameters", schemaPath: "#/properties/parameters/propertyNames", keyword: "propertyNames", params: { propertyName: key1 }, message: "property name must be valid", schema: schema0.properties.parameters.propertyNames, parentSchema: schema0.properties.parameters, data: data10 };
            if (vErrors === null) {
              vErrors = [err21];
            } else {
              vErrors.push(err21);
            }
            errors++;
          }
        }
        for (const key2 in data10) {
          let data11 = data10[key2];
          if (typeof data11 !== "string" && !(typeof data11 == "number" && isFinite(data11)) && typeof data11 !== "boolean") {
            const err22 = { instancePath: instancePath + "/parameters/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/properties/parameters/additionalProperties/type", keyword: "type", params: { type: schema0.properties.parameters.additionalProperties.type }, message: "must be string,number,boolean", schema: schema0.properties.parameters.additionalProperties.type, parentSchema: schema0.properties.parameters.additionalProperties, data: data11 };
            if (vErrors === null) {
              vErrors = [err22];
            } else {
              vErrors.push(err22);
            }
            errors++;
          }
        }
      } else {
        const err23 = { instancePath: instancePath + "/parameters", schemaPath: "#/properties/parameters/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema0.properties.parameters.type, parentSchema: schema0.properties.parameters, data: data10 };
        if (vErrors === null) {
          vErrors = [err23];
        } else {
          vErrors.push(err23);
        }
        errors++;
      }
    }
    if (data.autorScriptsMetadata !== void 0) {
      let data12 = data.autorScriptsMetadata;
      if (data12 && typeof data12 == "object" && !Array.isArray(data12)) {
        if (data12.cid === void 0) {
          const err24 = { instancePath: instancePath + "/autorScriptsMetadata", schemaPath: "#/properties/autorScriptsMetadata/required", keyword: "required", params: { missingProperty: "cid" }, message: "must have required property 'cid'", schema: schema0.properties.autorScriptsMetadata.required, parentSchema: schema0.properties.autorScriptsMetadata, data: data12 };
          if (vErrors === null) {
            vErrors = [err24];
          } else {
            vErrors.push(err24);
          }
          errors++;
        }
        if (data12.tech === void 0) {
          const err25 = { instancePath: instancePath + "/autorScriptsMetadata", schemaPath: "#/properties/autorScriptsMetadata/required", keyword: "required", params: { missingProperty: "tech" }, message: "must have required property 'tech'", schema: schema0.properties.autorScriptsMetadata.required, parentSchema: schema0.properties.autorScriptsMetadata, data: data12 };
          if (vErrors === null) {
            vErrors = [err25];
          } else {
            vErrors.push(err25);
          }
          errors++;
        }
        for (const key3 in data12) {
          if (!(key3 === "cid" || key3 === "tech" || key3 === "policies" || key3 === "displayName" || key3 === "subType")) {
            const err26 = { instancePath: instancePath + "/autorScriptsMetadata", schemaPath: "#/properties/autorScriptsMetadata/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key3 }, message: "must NOT have additional properties", schema: false, parentSchema: schema0.properties.autorScriptsMetadata, data: data12 };
            if (vErrors === null) {
              vErrors = [err26];
            } else {
              vErrors.push(err26);
            }
            errors++;
          }
        }
        if (data12.cid !== void 0) {
          let data13 = data12.cid;
          if (typeof data13 !== "string" && !(typeof data13 == "number" && (!(data13 % 1) && !isNaN(data13)) && isFinite(data13))) {
            const err27 = { instancePath: instancePath + "/autorScriptsMetadata/cid", schemaPath: "#/properties/autorScriptsMetadata/properties/cid/type", keyword: "type", params: { type: schema0.properties.autorScriptsMetadata.properties.cid.type }, message: "must be string,integer", schema: schema0.properties.autorScriptsMetadata.properties.cid.type, parentSchema: schema0.properties.autorScriptsMetadata.properties.cid, data: data13 };
            if (vErrors === null) {
              vErrors = [err27];
            } else {
              vErrors.push(err27);
            }
            errors++;
          }
          if (typeof data13 == "number" && isFinite(data13)) {
            if (data13 < 1 || isNaN(data13)) {
              const err28 = { instancePath: instancePath + "/autorScriptsMetadata/cid", schemaPath: "#/properties/autorScriptsMetadata/properties/cid/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema0.properties.autorScriptsMetadata.properties.cid, data: data13 };
              if (vErrors === null) {
                vErrors = [err28];
              } else {
                vErrors.push(err28);
              }
              errors++;
            }
          }
          if (typeof data13 === "string") {
            if (!pattern1.test(data13)) {
              const err29 = { instancePath: instancePath + "/autorScriptsMetadata/cid", schemaPath: "#/properties/autorScriptsMetadata/properties/cid/pattern", keyword: "pattern", params: { pattern: "^[0-9]+$" }, message: 'must match pattern "^[0-9]+$"', schema: "^[0-9]+$", parentSchema: schema0.properties.autorScriptsMetadata.properties.cid, data: data13 };
              if (vErrors === null) {
                vErrors = [err29];
              } else {
                vErrors.push(err29);
              }
              errors++;
            }
          }
        }
        if (data12.tech !== void 0) {
          let data14 = data12.tech;
          if (Array.isArray(data14)) {
            if (data14.length < 1) {
              const err30 = { instancePath: instancePath + "/autorScriptsMetadata/tech", schemaPath: "#/properties/autorScriptsMetadata/properties/tech/minItems", keyword: "minItems", params: { limit: 1 }, message: "must NOT have fewer than 1 items", schema: 1, parentSchema: schema0.properties.autorScriptsMetadata.properties.tech, data: data14 };
              if (vErrors === null) {
                vErrors = [err30];
              } else {
                vErrors.push(err30);
              }
              errors++;
            }
            const len0 = data14.length;
            for (let i0 = 0; i0 < len0; i0++) {
              let data15 = data14[i0];
              if (typeof data15 === "string") {
                if (func1(data15) < 1) {
                  const err31 = { instancePath: instancePath + "/autorScriptsMetadata/tech/" + i0, schemaPath: "#/properties/autorScriptsMetadata/properties/tech/items/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema0.properties.autorScriptsMetadata.properties.tech.items, data: data15 };
                  if (vErrors === null) {
                    vErrors = [err31];
                  } else {
                    vErrors.push(err31);
                  }
                  errors++;
                }
              } else {
                const err32 = { instancePath: instancePath + "/autorScriptsMetadata/tech/" + i0, schemaPath: "#/properties/autorScriptsMetadata/properties/tech/items/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema0.properties.autorScriptsMetadata.properties.tech.items.type, parentSchema: schema0.properties.autorScriptsMetadata.properties.tech.items, data: data15 };
                if (vErrors === null) {
                  vErrors = [err32];
                } else {
                  vErrors.push(err32);
                }
                errors++;
              }
            }
          } else {
            const err33 = { instancePath: instancePath + "/autorScriptsMetadata/tech", schemaPath: "#/properties/autorScriptsMetadata/properties/tech/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema0.properties.autorScriptsMetadata.properties.tech.type, parentSchema: schema0.properties.autorScriptsMetadata.properties.tech, data: data14 };
            if (vErrors === null) {
              vErrors = [err33];
            } else {
              vErrors.push(err33);
            }
            errors++;
          }
        }
        if (data12.policies !== void 0) {
          let data16 = data12.policies;
          if (Array.isArray(data16)) {
            const len1 = data16.length;
            for (let i1 = 0; i1 < len1; i1++) {
              let data17 = data16[i1];
              if (typeof data17 === "string") {
                if (func1(data17) < 1) {
                  const err34 = { instancePath: instancePath + "/autorScriptsMetadata/policies/" + i1, schemaPath: "#/properties/autorScriptsMetadata/properties/policies/items/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema0.properties.autorScriptsMetadata.properties.policies.items, data: data17 };
                  if (vErrors === null) {
                    vErrors = [err34];
                  } else {
                    vErrors.push(err34);
                  }
                  errors++;
                }
              } else {
                const err35 = { instancePath: instancePath + "/autorScriptsMetadata/policies/" + i1, schemaPath: "#/properties/autorScriptsMetadata/properties/policies/items/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema0.properties.autorScriptsMetadata.properties.policies.items.type, parentSchema: schema0.properties.autorScriptsMetadata.properties.policies.items, data: data17 };
                if (vErrors === null) {
                  vErrors = [err35];
                } else {
                  vErrors.push(err35);
                }
                errors++;
              }
            }
          } else {
            const err36 = { instancePath: instancePath + "/autorScriptsMetadata/policies", schemaPath: "#/properties/autorScriptsMetadata/properties/policies/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema0.properties.autorScriptsMetadata.properties.policies.type, parentSchema: schema0.properties.autorScriptsMetadata.properties.policies, data: data16 };
            if (vErrors === null) {
              vErrors = [err36];
            } else {
              vErrors.push(err36);
            }
            errors++;
          }
        }
        if (data12.displayName !== void 0) {
          let data18 = data12.displayName;
          if (typeof data18 !== "string") {
            const err37 = { instancePath: instancePath + "/autorScriptsMetadata/displayName", schemaPath: "#/properties/autorScriptsMetadata/properties/displayName/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema0.properties.autorScriptsMetadata.properties.displayName.type, parentSchema: schema0.properties.autorScriptsMetadata.properties.displayName, data: data18 };
            if (vErrors === null) {
              vErrors = [err37];
            } else {
              vErrors.push(err37);
            }
            errors++;
          }
        }
        if (data12.subType !== void 0) {
          let data19 = data12.subType;
          if (!(data19 === "Response" || data19 === "Detection")) {
            const err38 = { instancePath: instancePath + "/autorScriptsMetadata/subType", schemaPath: "#/properties/autorScriptsMetadata/properties/subType/enum", keyword: "enum", params: { allowedValues: schema0.properties.autorScriptsMetadata.properties.subType.enum }, message: "must be equal to one of the allowed values", schema: schema0.properties.autorScriptsMetadata.properties.subType.enum, parentSchema: schema0.properties.autorScriptsMetadata.properties.subType, data: data19 };
            if (vErrors === null) {
              vErrors = [err38];
            } else {
              vErrors.push(err38);
            }
            errors++;
          }
        }
      } else {
        const err39 = { instancePath: instancePath + "/autorScriptsMetadata", schemaPath: "#/properties/autorScriptsMetadata/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema0.properties.autorScriptsMetadata.type, parentSchema: schema0.properties.autorScriptsMetadata, data: data12 };
        if (vErrors === null) {
          vErrors = [err39];
        } else {
          vErrors.push(err39);
        }
        errors++;
      }
    }
  } else {
    const err40 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema0.type, parentSchema: schema0, data };
    if (vErrors === null) {
      vErrors = [err40];
    } else {
      vErrors.push(err40);
    }
    errors++;
  }
  validate0.errors = vErrors;
  return errors === 0;
}
var defaults = validate1;
var schema1 = { "$schema": "http://json-schema.org/draft-07/schema#", "title": "car-sync defaults.yaml", "description": "Fields shared by every meta.yaml in this folder and below it; the nearest defaults.yaml wins, field by field, and meta.yaml wins over all. title is not allowed: every script needs its own.", "type": "object", "additionalProperties": false, "properties": { "description": { "description": "Free text shown in CAR.", "type": "string" }, "platform": { "description": "Target platform. Default from the extension: .ps1 WINDOWS, .sh LINUX. A .ps1 script must be WINDOWS; a .sh script must not be.", "enum": ["WINDOWS", "LINUX", "UNIX", "MAC"] }, "severity": { "description": "1 (lowest) to 5 (highest).", "type": "integer", "minimum": 1, "maximum": 5 }, "threshold": { "description": "How long the script may run, in thresholdTimeUnit; set both or neither.", "type": "integer", "minimum": 1 }, "thresholdTimeUnit": { "description": "Unit of threshold. The plural forms of older API versions are accepted and sent in the singular.", "enum": ["SECOND", "MINUTE", "HOUR", "SECONDS", "MINUTES", "HOURS"] }, "typeId": { "description": "The tenant's script type id (Custom Script, Custom QID, Control ID Remediation).", "type": "integer", "minimum": 1 }, "languageId": { "description": "The tenant's platform and language pair id (GET /sm/v1/script-language).", "type": "integer", "minimum": 1 }, "categoryId": { "description": "The tenant's script category id.", "type": "integer", "minimum": 1 }, "scriptApprovalUserConsent": { "description": "Create the script in the approval state.", "type": "boolean" }, "parameters": { "description": "Parameter name -> default value. Sent to CAR as hasParameters and base64 params.", "type": "object", "propertyNames": { "minLength": 1 }, "additionalProperties": { "type": ["string", "number", "boolean"] } }, "autorScriptsMetadata": { "description": "Control ID remediation details (the spelling is Qualys's).", "type": "object", "required": ["cid", "tech"], "additionalProperties": false, "properties": { "cid": { "description": 'The control ID number, e.g. "994911".', "type": ["string", "integer"], "pattern": "^[0-9]+$", "minimum": 1 }, "tech": { "description": 'Technologies the control applies to, e.g. "Ubuntu 20.x".', "type": "array", "minItems": 1, "items": { "type": "string", "minLength": 1 } }, "policies": { "description": "Policies the control belongs to.", "type": "array", "items": { "type": "string", "minLength": 1 } }, "displayName": { "description": "Name shown for the remediation.", "type": "string" }, "subType": { "description": "Response or Detection.", "enum": ["Response", "Detection"] } } } } };
function validate1(data, { instancePath = "", parentData, parentDataProperty, rootData = data } = {}) {
  let vErrors = null;
  let errors = 0;
  if (data && typeof data == "object" && !Array.isArray(data)) {
    for (const key0 in data) {
      if (!func0.call(schema1.properties, key0)) {
        const err0 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema1, data };
        if (vErrors === null) {
          vErrors = [err0];
        } else {
          vErrors.push(err0);
        }
        errors++;
      }
    }
    if (data.description !== void 0) {
      let data0 = data.description;
      if (typeof data0 !== "string") {
        const err1 = { instancePath: instancePath + "/description", schemaPath: "#/properties/description/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema1.properties.description.type, parentSchema: schema1.properties.description, data: data0 };
        if (vErrors === null) {
          vErrors = [err1];
        } else {
          vErrors.push(err1);
        }
        errors++;
      }
    }
    if (data.platform !== void 0) {
      let data1 = data.platform;
      if (!(data1 === "WINDOWS" || data1 === "LINUX" || data1 === "UNIX" || data1 === "MAC")) {
        const err2 = { instancePath: instancePath + "/platform", schemaPath: "#/properties/platform/enum", keyword: "enum", params: { allowedValues: schema1.properties.platform.enum }, message: "must be equal to one of the allowed values", schema: schema1.properties.platform.enum, parentSchema: schema1.properties.platform, data: data1 };
        if (vErrors === null) {
          vErrors = [err2];
        } else {
          vErrors.push(err2);
        }
        errors++;
      }
    }
    if (data.severity !== void 0) {
      let data2 = data.severity;
      if (!(typeof data2 == "number" && (!(data2 % 1) && !isNaN(data2)) && isFinite(data2))) {
        const err3 = { instancePath: instancePath + "/severity", schemaPath: "#/properties/severity/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema1.properties.severity.type, parentSchema: schema1.properties.severity, data: data2 };
        if (vErrors === null) {
          vErrors = [err3];
        } else {
          vErrors.push(err3);
        }
        errors++;
      }
      if (typeof data2 == "number" && isFinite(data2)) {
        if (data2 > 5 || isNaN(data2)) {
          const err4 = { instancePath: instancePath + "/severity", schemaPath: "#/properties/severity/maximum", keyword: "maximum", params: { comparison: "<=", limit: 5 }, message: "must be <= 5", schema: 5, parentSchema: schema1.properties.severity, data: data2 };
          if (vErrors === null) {
            vErrors = [err4];
          } else {
            vErrors.push(err4);
          }
          errors++;
        }
        if (data2 < 1 || isNaN(data2)) {
          const err5 = { instancePath: instancePath + "/severity", schemaPath: "#/properties/severity/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema1.properties.severity, data: data2 };
          if (vErrors === null) {
            vErrors = [err5];
          } else {
            vErrors.push(err5);
          }
          errors++;
        }
      }
    }
    if (data.threshold !== void 0) {
      let data3 = data.threshold;
      if (!(typeof data3 == "number" && (!(data3 % 1) && !isNaN(data3)) && isFinite(data3))) {
        const err6 = { instancePath: instancePath + "/threshold", schemaPath: "#/properties/threshold/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema1.properties.threshold.type, parentSchema: schema1.properties.threshold, data: data3 };
        if (vErrors === null) {
          vErrors = [err6];
        } else {
          vErrors.push(err6);
        }
        errors++;
      }
      if (typeof data3 == "number" && isFinite(data3)) {
        if (data3 < 1 || isNaN(data3)) {
          const err7 = { instancePath: instancePath + "/threshold", schemaPath: "#/properties/threshold/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema1.properties.threshold, data: data3 };
          if (vErrors === null) {
            vErrors = [err7];
          } else {
            vErrors.push(err7);
          }
          errors++;
        }
      }
    }
    if (data.thresholdTimeUnit !== void 0) {
      let data4 = data.thresholdTimeUnit;
      if (!(data4 === "SECOND" || data4 === "MINUTE" || data4 === "HOUR" || data4 === "SECONDS" || data4 === "MINUTES" || data4 === "HOURS")) {
        const err8 = { instancePath: instancePath + "/thresholdTimeUnit", schemaPath: "#/properties/thresholdTimeUnit/enum", keyword: "enum", params: { allowedValues: schema1.properties.thresholdTimeUnit.enum }, message: "must be equal to one of the allowed values", schema: schema1.properties.thresholdTimeUnit.enum, parentSchema: schema1.properties.thresholdTimeUnit, data: data4 };
        if (vErrors === null) {
          vErrors = [err8];
        } else {
          vErrors.push(err8);
        }
        errors++;
      }
    }
    if (data.typeId !== void 0) {
      let data5 = data.typeId;
      if (!(typeof data5 == "number" && (!(data5 % 1) && !isNaN(data5)) && isFinite(data5))) {
        const err9 = { instancePath: instancePath + "/typeId", schemaPath: "#/properties/typeId/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema1.properties.typeId.type, parentSchema: schema1.properties.typeId, data: data5 };
        if (vErrors === null) {
          vErrors = [err9];
        } else {
          vErrors.push(err9);
        }
        errors++;
      }
      if (typeof data5 == "number" && isFinite(data5)) {
        if (data5 < 1 || isNaN(data5)) {
          const err10 = { instancePath: instancePath + "/typeId", schemaPath: "#/properties/typeId/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema1.properties.typeId, data: data5 };
          if (vErrors === null) {
            vErrors = [err10];
          } else {
            vErrors.push(err10);
          }
          errors++;
        }
      }
    }
    if (data.languageId !== void 0) {
      let data6 = data.languageId;
      if (!(typeof data6 == "number" && (!(data6 % 1) && !isNaN(data6)) && isFinite(data6))) {
        const err11 = { instancePath: instancePath + "/languageId", schemaPath: "#/properties/languageId/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema1.properties.languageId.type, parentSchema: schema1.properties.languageId, data: data6 };
        if (vErrors === null) {
          vErrors = [err11];
        } else {
          vErrors.push(err11);
        }
        errors++;
      }
      if (typeof data6 == "number" && isFinite(data6)) {
        if (data6 < 1 || isNaN(data6)) {
          const err12 = { instancePath: instancePath + "/languageId", schemaPath: "#/properties/languageId/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema1.properties.languageId, data: data6 };
          if (vErrors === null) {
            vErrors = [err12];
          } else {
            vErrors.push(err12);
          }
          errors++;
        }
      }
    }
    if (data.categoryId !== void 0) {
      let data7 = data.categoryId;
      if (!(typeof data7 == "number" && (!(data7 % 1) && !isNaN(data7)) && isFinite(data7))) {
        const err13 = { instancePath: instancePath + "/categoryId", schemaPath: "#/properties/categoryId/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema1.properties.categoryId.type, parentSchema: schema1.properties.categoryId, data: data7 };
        if (vErrors === null) {
          vErrors = [err13];
        } else {
          vErrors.push(err13);
        }
        errors++;
      }
      if (typeof data7 == "number" && isFinite(data7)) {
        if (data7 < 1 || isNaN(data7)) {
          const err14 = { instancePath: instancePath + "/categoryId", schemaPath: "#/properties/categoryId/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema1.properties.categoryId, data: data7 };
          if (vErrors === null) {
            vErrors = [err14];
          } else {
            vErrors.push(err14);
          }
          errors++;
        }
      }
    }
    if (data.scriptApprovalUserConsent !== void 0) {
      let data8 = data.scriptApprovalUserConsent;
      if (typeof data8 !== "boolean") {
        const err15 = { instancePath: instancePath + "/scriptApprovalUserConsent", schemaPath: "#/properties/scriptApprovalUserConsent/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema1.properties.scriptApprovalUserConsent.type, parentSchema: schema1.properties.scriptApprovalUserConsent, data: data8 };
        if (vErrors === null) {
          vErrors = [err15];
        } else {
          vErrors.push(err15);
        }
        errors++;
      }
    }
    if (data.parameters !== void 0) {
      let data9 = data.parameters;
      if (data9 && typeof data9 == "object" && !Array.isArray(data9)) {
        for (const key1 in data9) {
          const _errs20 = errors;
          if (typeof key1 === "string") {
            if (func1(key1) < 1) {
              const err16 = { instancePath: instancePath + "/parameters", schemaPath: "#/properties/parameters/propertyNames/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema1.properties.parameters.propertyNames, data: key1, propertyName: key1 };
              if (vErrors === null) {
                vErrors = [err16];
              } else {
                vErrors.push(err16);
              }
              errors++;
            }
          }
          var valid1 = _errs20 === errors;
          if (!valid1) {
            const err17 = { instancePath: instancePath + "/parameters", schemaPath: "#/properties/parameters/propertyNames", keyword: "propertyNames", params: { propertyName: key1 }, message: "property name must be valid", schema: schema1.properties.parameters.propertyNames, parentSchema: schema1.properties.parameters, data: data9 };
            if (vErrors === null) {
              vErrors = [err17];
            } else {
              vErrors.push(err17);
            }
            errors++;
          }
        }
        for (const key2 in data9) {
          let data10 = data9[key2];
          if (typeof data10 !== "string" && !(typeof data10 == "number" && isFinite(data10)) && typeof data10 !== "boolean") {
            const err18 = { instancePath: instancePath + "/parameters/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/properties/parameters/additionalProperties/type", keyword: "type", params: { type: schema1.properties.parameters.additionalProperties.type }, message: "must be string,number,boolean", schema: schema1.properties.parameters.additionalProperties.type, parentSchema: schema1.properties.parameters.additionalProperties, data: data10 };
            if (vErrors === null) {
              vErrors = [err18];
            } else {
              vErrors.push(err18);
            }
            errors++;
          }
        }
      } else {
        const err19 = { instancePath: instancePath + "/parameters", schemaPath: "#/properties/parameters/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema1.properties.parameters.type, parentSchema: schema1.properties.parameters, data: data9 };
        if (vErrors === null) {
          vErrors = [err19];
        } else {
          vErrors.push(err19);
        }
        errors++;
      }
    }
    if (data.autorScriptsMetadata !== void 0) {
      let data11 = data.autorScriptsMetadata;
      if (data11 && typeof data11 == "object" && !Array.isArray(data11)) {
        if (data11.cid === void 0) {
          const err20 = { instancePath: instancePath + "/autorScriptsMetadata", schemaPath: "#/properties/autorScriptsMetadata/required", keyword: "required", params: { missingProperty: "cid" }, message: "must have required property 'cid'", schema: schema1.properties.autorScriptsMetadata.required, parentSchema: schema1.properties.autorScriptsMetadata, data: data11 };
          if (vErrors === null) {
            vErrors = [err20];
          } else {
            vErrors.push(err20);
          }
          errors++;
        }
        if (data11.tech === void 0) {
          const err21 = { instancePath: instancePath + "/autorScriptsMetadata", schemaPath: "#/properties/autorScriptsMetadata/required", keyword: "required", params: { missingProperty: "tech" }, message: "must have required property 'tech'", schema: schema1.properties.autorScriptsMetadata.required, parentSchema: schema1.properties.autorScriptsMetadata, data: data11 };
          if (vErrors === null) {
            vErrors = [err21];
          } else {
            vErrors.push(err21);
          }
          errors++;
        }
        for (const key3 in data11) {
          if (!(key3 === "cid" || key3 === "tech" || key3 === "policies" || key3 === "displayName" || key3 === "subType")) {
            const err22 = { instancePath: instancePath + "/autorScriptsMetadata", schemaPath: "#/properties/autorScriptsMetadata/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key3 }, message: "must NOT have additional properties", schema: false, parentSchema: schema1.properties.autorScriptsMetadata, data: data11 };
            if (vErrors === null) {
              vErrors = [err22];
            } else {
              vErrors.push(err22);
            }
            errors++;
          }
        }
        if (data11.cid !== void 0) {
          let data12 = data11.cid;
          if (typeof data12 !== "string" && !(typeof data12 == "number" && (!(data12 % 1) && !isNaN(data12)) && isFinite(data12))) {
            const err23 = { instancePath: instancePath + "/autorScriptsMetadata/cid", schemaPath: "#/properties/autorScriptsMetadata/properties/cid/type", keyword: "type", params: { type: schema1.properties.autorScriptsMetadata.properties.cid.type }, message: "must be string,integer", schema: schema1.properties.autorScriptsMetadata.properties.cid.type, parentSchema: schema1.properties.autorScriptsMetadata.properties.cid, data: data12 };
            if (vErrors === null) {
              vErrors = [err23];
            } else {
              vErrors.push(err23);
            }
            errors++;
          }
          if (typeof data12 == "number" && isFinite(data12)) {
            if (data12 < 1 || isNaN(data12)) {
              const err24 = { instancePath: instancePath + "/autorScriptsMetadata/cid", schemaPath: "#/properties/autorScriptsMetadata/properties/cid/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema1.properties.autorScriptsMetadata.properties.cid, data: data12 };
              if (vErrors === null) {
                vErrors = [err24];
              } else {
                vErrors.push(err24);
              }
              errors++;
            }
          }
          if (typeof data12 === "string") {
            if (!pattern1.test(data12)) {
              const err25 = { instancePath: instancePath + "/autorScriptsMetadata/cid", schemaPath: "#/properties/autorScriptsMetadata/properties/cid/pattern", keyword: "pattern", params: { pattern: "^[0-9]+$" }, message: 'must match pattern "^[0-9]+$"', schema: "^[0-9]+$", parentSchema: schema1.properties.autorScriptsMetadata.properties.cid, data: data12 };
              if (vErrors === null) {
                vErrors = [err25];
              } else {
                vErrors.push(err25);
              }
              errors++;
            }
          }
        }
        if (data11.tech !== void 0) {
          let data13 = data11.tech;
          if (Array.isArray(data13)) {
            if (data13.length < 1) {
              const err26 = { instancePath: instancePath + "/autorScriptsMetadata/tech", schemaPath: "#/properties/autorScriptsMetadata/properties/tech/minItems", keyword: "minItems", params: { limit: 1 }, message: "must NOT have fewer than 1 items", schema: 1, parentSchema: schema1.properties.autorScriptsMetadata.properties.tech, data: data13 };
              if (vErrors === null) {
                vErrors = [err26];
              } else {
                vErrors.push(err26);
              }
              errors++;
            }
            const len0 = data13.length;
            for (let i0 = 0; i0 < len0; i0++) {
              let data14 = data13[i0];
              if (typeof data14 === "string") {
                if (func1(data14) < 1) {
                  const err27 = { instancePath: instancePath + "/autorScriptsMetadata/tech/" + i0, schemaPath: "#/properties/autorScriptsMetadata/properties/tech/items/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema1.properties.autorScriptsMetadata.properties.tech.items, data: data14 };
                  if (vErrors === null) {
                    vErrors = [err27];
                  } else {
                    vErrors.push(err27);
                  }
                  errors++;
                }
              } else {
                const err28 = { instancePath: instancePath + "/autorScriptsMetadata/tech/" + i0, schemaPath: "#/properties/autorScriptsMetadata/properties/tech/items/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema1.properties.autorScriptsMetadata.properties.tech.items.type, parentSchema: schema1.properties.autorScriptsMetadata.properties.tech.items, data: data14 };
                if (vErrors === null) {
                  vErrors = [err28];
                } else {
                  vErrors.push(err28);
                }
                errors++;
              }
            }
          } else {
            const err29 = { instancePath: instancePath + "/autorScriptsMetadata/tech", schemaPath: "#/properties/autorScriptsMetadata/properties/tech/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema1.properties.autorScriptsMetadata.properties.tech.type, parentSchema: schema1.properties.autorScriptsMetadata.properties.tech, data: data13 };
            if (vErrors === null) {
              vErrors = [err29];
            } else {
              vErrors.push(err29);
            }
            errors++;
          }
        }
        if (data11.policies !== void 0) {
          let data15 = data11.policies;
          if (Array.isArray(data15)) {
            const len1 = data15.length;
            for (let i1 = 0; i1 < len1; i1++) {
              let data16 = data15[i1];
              if (typeof data16 === "string") {
                if (func1(data16) < 1) {
                  const err30 = { instancePath: instancePath + "/autorScriptsMetadata/policies/" + i1, schemaPath: "#/properties/autorScriptsMetadata/properties/policies/items/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema1.properties.autorScriptsMetadata.properties.policies.items, data: data16 };
                  if (vErrors === null) {
                    vErrors = [err30];
                  } else {
                    vErrors.push(err30);
                  }
                  errors++;
                }
              } else {
                const err31 = { instancePath: instancePath + "/autorScriptsMetadata/policies/" + i1, schemaPath: "#/properties/autorScriptsMetadata/properties/policies/items/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema1.properties.autorScriptsMetadata.properties.policies.items.type, parentSchema: schema1.properties.autorScriptsMetadata.properties.policies.items, data: data16 };
                if (vErrors === null) {
                  vErrors = [err31];
                } else {
                  vErrors.push(err31);
                }
                errors++;
              }
            }
          } else {
            const err32 = { instancePath: instancePath + "/autorScriptsMetadata/policies", schemaPath: "#/properties/autorScriptsMetadata/properties/policies/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema1.properties.autorScriptsMetadata.properties.policies.type, parentSchema: schema1.properties.autorScriptsMetadata.properties.policies, data: data15 };
            if (vErrors === null) {
              vErrors = [err32];
            } else {
              vErrors.push(err32);
            }
            errors++;
          }
        }
        if (data11.displayName !== void 0) {
          let data17 = data11.displayName;
          if (typeof data17 !== "string") {
            const err33 = { instancePath: instancePath + "/autorScriptsMetadata/displayName", schemaPath: "#/properties/autorScriptsMetadata/properties/displayName/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema1.properties.autorScriptsMetadata.properties.displayName.type, parentSchema: schema1.properties.autorScriptsMetadata.properties.displayName, data: data17 };
            if (vErrors === null) {
              vErrors = [err33];
            } else {
              vErrors.push(err33);
            }
            errors++;
          }
        }
        if (data11.subType !== void 0) {
          let data18 = data11.subType;
          if (!(data18 === "Response" || data18 === "Detection")) {
            const err34 = { instancePath: instancePath + "/autorScriptsMetadata/subType", schemaPath: "#/properties/autorScriptsMetadata/properties/subType/enum", keyword: "enum", params: { allowedValues: schema1.properties.autorScriptsMetadata.properties.subType.enum }, message: "must be equal to one of the allowed values", schema: schema1.properties.autorScriptsMetadata.properties.subType.enum, parentSchema: schema1.properties.autorScriptsMetadata.properties.subType, data: data18 };
            if (vErrors === null) {
              vErrors = [err34];
            } else {
              vErrors.push(err34);
            }
            errors++;
          }
        }
      } else {
        const err35 = { instancePath: instancePath + "/autorScriptsMetadata", schemaPath: "#/properties/autorScriptsMetadata/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema1.properties.autorScriptsMetadata.type, parentSchema: schema1.properties.autorScriptsMetadata, data: data11 };
        if (vErrors === null) {
          vErrors = [err35];
        } else {
          vErrors.push(err35);
        }
        errors++;
      }
    }
  } else {
    const err36 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema1.type, parentSchema: schema1, data };
    if (vErrors === null) {
      vErrors = [err36];
    } else {
      vErrors.push(err36);
    }
    errors++;
  }
  validate1.errors = vErrors;
  return errors === 0;
}
var validators = { meta, defaults };

// src/repo/simple-yaml.ts
var DECLINE = /* @__PURE__ */ Symbol("decline");
var KEY_LINE = /^([A-Za-z][A-Za-z0-9_-]{0,99}):(?: (.*))?$/;
var BLOCK_SCALAR_HEADER = /^([|>])(-?)$/;
var UNSURE_START = /^[-?:,[\]{}#&*!|>'"%@`+.~0-9]/;
var SMALL_INT = /^(?:0|[1-9][0-9]{0,14})$/;
var BOOLEANS = { true: true, True: true, TRUE: true, false: false, False: false, FALSE: false };
var NULLS = /* @__PURE__ */ new Set(["null", "Null", "NULL"]);
var UNSURE_CHARACTERS = /[\t\r\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]/;
var Reader = class {
  constructor(lines) {
    this.lines = lines;
  }
  lines;
  index = 0;
  document() {
    this.skipComments();
    if (this.index >= this.lines.length || this.lines[this.index].indent !== 0) throw DECLINE;
    return this.map(0);
  }
  skipComments() {
    while (this.index < this.lines.length) {
      const { content: content2 } = this.lines[this.index];
      if (content2 !== "" && !content2.startsWith("#")) return;
      this.index++;
    }
  }
  map(indent) {
    const map = {};
    for (; ; ) {
      this.skipComments();
      const line = this.lines[this.index];
      if (!line || line.indent < indent) return map;
      if (line.indent > indent) throw DECLINE;
      const match = KEY_LINE.exec(line.content);
      if (!match) throw DECLINE;
      const key = match[1];
      if (Object.hasOwn(map, key)) throw DECLINE;
      let rest = (match[2] ?? "").trim();
      if (rest.startsWith("#")) rest = "";
      this.index++;
      const header2 = BLOCK_SCALAR_HEADER.exec(rest);
      if (rest === "") map[key] = this.nested(indent);
      else if (header2) map[key] = this.blockScalar(indent, header2[1] === ">", header2[2] === "-");
      else map[key] = scalar(rest);
    }
  }
  /** What follows `key:` with nothing after it: a map or a list below it, or null. */
  nested(keyIndent) {
    this.skipComments();
    const line = this.lines[this.index];
    if (!line || line.indent < keyIndent) return null;
    const isItem = line.content === "-" || line.content.startsWith("- ");
    if (line.indent === keyIndent) return isItem ? this.list(keyIndent) : null;
    return isItem ? this.list(line.indent) : this.map(line.indent);
  }
  list(indent) {
    const items = [];
    for (; ; ) {
      this.skipComments();
      const line = this.lines[this.index];
      if (!line || line.indent < indent || !line.content.startsWith("- ")) {
        if (line && line.indent > indent) throw DECLINE;
        return items;
      }
      if (line.indent > indent) throw DECLINE;
      const item = line.content.slice(2).trim();
      if (item === "") throw DECLINE;
      items.push(scalar(item));
      this.index++;
    }
  }
  /** `>`/`>-` (folded) and `|`/`|-` (literal) with lines of one indentation; no keep (`+`), no indicator digit. */
  blockScalar(keyIndent, folded, strip) {
    const parts = [];
    let blockIndent = -1;
    for (; this.index < this.lines.length; this.index++) {
      const line = this.lines[this.index];
      if (line.content === "") {
        if (blockIndent < 0 || line.indent > blockIndent) throw DECLINE;
        parts.push("");
        continue;
      }
      if (blockIndent < 0) {
        if (line.indent <= keyIndent) throw DECLINE;
        blockIndent = line.indent;
      }
      if (line.indent < blockIndent) break;
      if (folded && line.indent > blockIndent) throw DECLINE;
      const text = line.raw.slice(blockIndent);
      if (text.endsWith(" ")) throw DECLINE;
      parts.push(text);
    }
    if (blockIndent < 0) throw DECLINE;
    while (parts[parts.length - 1] === "") parts.pop();
    let value;
    if (folded) {
      value = parts[0];
      let breaks = 0;
      for (let i = 1; i < parts.length; i++) {
        const part = parts[i];
        if (part === "") {
          breaks++;
          continue;
        }
        value += breaks === 0 ? " " : "\n".repeat(breaks);
        value += part;
        breaks = 0;
      }
    } else {
      value = parts.join("\n");
    }
    return strip ? value : `${value}
`;
  }
};
var AFTER_QUOTE = /^(?: +#.*)?$/;
function quoted(text) {
  if (text[0] === '"') {
    const end = text.indexOf('"', 1);
    if (end < 0 || text.includes("\\") || !AFTER_QUOTE.test(text.slice(end + 1))) throw DECLINE;
    return text.slice(1, end);
  }
  let value = "";
  for (let i = 1; i < text.length; i++) {
    const char = text[i];
    if (char !== "'") {
      value += char;
    } else if (text[i + 1] === "'") {
      value += "'";
      i++;
    } else {
      if (!AFTER_QUOTE.test(text.slice(i + 1))) throw DECLINE;
      return value;
    }
  }
  throw DECLINE;
}
function scalar(line) {
  if (line[0] === '"' || line[0] === "'") return quoted(line);
  const comment = line.indexOf(" #");
  const text = comment < 0 ? line : line.slice(0, comment).trimEnd();
  if (SMALL_INT.test(text)) return Number(text);
  if (UNSURE_START.test(text) || text.includes(": ") || text.endsWith(":") || NULLS.has(text)) throw DECLINE;
  const boolean2 = BOOLEANS[text];
  return boolean2 ?? text;
}
function readSimpleYaml(text) {
  if (!text.endsWith("\n") || UNSURE_CHARACTERS.test(text)) return void 0;
  const raws = text.split("\n");
  raws.pop();
  const lines = [];
  let started = false;
  for (const raw of raws) {
    let indent = 0;
    while (raw.charCodeAt(indent) === 32) indent++;
    const content2 = raw.slice(indent);
    const comment = content2 === "" || content2.startsWith("#");
    if (raw === "---" && !started) {
      started = true;
      lines.push({ indent: 0, content: "", raw: "" });
      continue;
    }
    if (content2.startsWith("---") || content2.startsWith("...") || content2.startsWith("%")) return void 0;
    if (!comment) started = true;
    lines.push({ indent, content: content2, raw });
  }
  try {
    return new Reader(lines).document();
  } catch (err) {
    if (err === DECLINE) return void 0;
    throw err;
  }
}

// src/repo/yaml.ts
function positionAt(lineCounter, offset) {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
function parseWithPositions(text) {
  const lineCounter = new LineCounter();
  return { doc: parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false }), lineCounter };
}
function parseYaml(text, file) {
  const simple = readSimpleYaml(text);
  if (simple !== void 0) {
    let full;
    const parsed = {
      file,
      value: simple,
      get doc() {
        return (full ??= parseWithPositions(text)).doc;
      },
      get lineCounter() {
        return (full ??= parseWithPositions(text)).lineCounter;
      }
    };
    return { parsed, problems: [] };
  }
  const { doc, lineCounter } = parseWithPositions(text);
  const problems = [];
  const reportedAt = /* @__PURE__ */ new Set();
  for (const error of doc.errors) {
    if (reportedAt.has(error.pos[0])) continue;
    reportedAt.add(error.pos[0]);
    const message = error.code === "DUPLICATE_KEY" ? "duplicate key: a key may appear only once in a map" : `YAML syntax error: ${firstLine(error.message)}`;
    problems.push({ file, ...positionAt(lineCounter, error.pos[0]), message });
  }
  let value;
  if (problems.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      problems.push({ file, line: 1, column: 1, message: `YAML could not be read: ${err.message}` });
    }
  }
  return { parsed: { file, doc, lineCounter, value }, problems };
}
function firstLine(message) {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}
function decodePointerSegment(segment) {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}
function nodeAt(parsed, instancePath, key) {
  const segments = instancePath === "" ? [] : instancePath.slice(1).split("/").map(decodePointerSegment);
  if (key !== void 0) segments.push(key);
  let node = parsed.doc.contents;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (isAlias(node)) node = node.resolve(parsed.doc);
    const wantKey = key !== void 0 && i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === segment);
      if (!pair) return node;
      node = wantKey ? pair.key : pair.value ?? pair.key;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === void 0) return node;
      node = item;
    } else {
      return node ?? void 0;
    }
  }
  return node ?? void 0;
}
function positionOf2(parsed, instancePath, key) {
  const node = nodeAt(parsed, instancePath, key);
  const offset = node?.range?.[0];
  return offset === void 0 ? { line: 1, column: 1 } : positionAt(parsed.lineCounter, offset);
}

// src/repo/schema.ts
var EXPECTED = {
  "": 'a map of fields such as "title: Enable auditd"',
  title: "a non-empty string",
  description: "a string",
  platform: "one of WINDOWS, LINUX, UNIX, MAC",
  severity: "an integer from 1 to 5",
  threshold: "a whole number of 1 or more",
  thresholdTimeUnit: "one of SECOND, MINUTE, HOUR",
  typeId: "a positive integer (an id from your CAR tenant)",
  languageId: "a positive integer (an id from your CAR tenant)",
  categoryId: "a positive integer (an id from your CAR tenant)",
  scriptApprovalUserConsent: "true or false",
  parameters: "a map of parameter names to default values",
  "parameters/*": "a string, number or boolean",
  autorScriptsMetadata: "a map with cid and tech, and optionally policies, displayName and subType",
  "autorScriptsMetadata/cid": 'a control ID number such as "994911"',
  "autorScriptsMetadata/tech": 'a non-empty list of strings such as "Ubuntu 20.x"',
  "autorScriptsMetadata/tech/*": "a non-empty string",
  "autorScriptsMetadata/policies": "a list of strings",
  "autorScriptsMetadata/policies/*": "a non-empty string",
  "autorScriptsMetadata/displayName": "a string",
  "autorScriptsMetadata/subType": "Response or Detection"
};
function pathSegments(instancePath) {
  return instancePath === "" ? [] : instancePath.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}
function expectedAt(segments) {
  const generic = segments.map((segment, i) => i > 0 && (segments[0] === "parameters" || /^\d+$/.test(segment)) ? "*" : segment);
  return EXPECTED[generic.join("/")] ?? "a valid value";
}
function fieldLabel(segments) {
  return segments.reduce((label, segment) => /^\d+$/.test(segment) ? `${label}[${segment}]` : label ? `${label}.${segment}` : segment, "");
}
function describeValue(value) {
  if (value === null || value === void 0) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}
function fileName(file) {
  return file.slice(file.lastIndexOf("/") + 1);
}
function unknownFieldMessage(error, kind, file) {
  const key = error.params.additionalProperty;
  if (kind === "defaults" && error.instancePath === "" && key === "title") {
    return "title is not allowed in defaults.yaml: titles must be unique, so every meta.yaml sets its own";
  }
  const known = Object.keys(error.parentSchema.properties ?? {});
  const where = error.instancePath === "" ? "" : ` in ${fieldLabel(pathSegments(error.instancePath))}`;
  const hint = didYouMean(key, known);
  if (hint !== void 0) return `unknown field "${key}"${where}: did you mean ${hint}?`;
  return `unknown field "${key}"${where} of ${fileName(file)}; the fields are ${known.join(", ")}`;
}
function valueMessage(error, file, kind) {
  const segments = pathSegments(error.instancePath);
  const value = error.data;
  if (segments.length === 0) {
    if (value === null && kind === "meta") return "meta.yaml is empty; it needs at least a title";
    return `${fileName(file)} must be ${EXPECTED[""]}, got ${describeValue(value)}`;
  }
  let message = `${fieldLabel(segments)} must be ${expectedAt(segments)}, got ${describeValue(value)}`;
  const allowed = error.parentSchema.enum;
  if (allowed && typeof value === "string") {
    const hint = didYouMean(value, allowed.map(String));
    if (hint !== void 0) message += `: did you mean ${hint}?`;
  }
  return message;
}
function schemaProblems(parsed, kind) {
  const validate = validators[kind];
  if (kind === "defaults" && (parsed.value === null || parsed.value === void 0)) return [];
  if (validate(parsed.value)) return [];
  const problems = [];
  const seenValuePaths = /* @__PURE__ */ new Set();
  const at = (instancePath, message, key) => {
    problems.push({ file: parsed.file, ...positionOf2(parsed, instancePath, key), message });
  };
  for (const error of validate.errors ?? []) {
    if (error.propertyName !== void 0) continue;
    switch (error.keyword) {
      case "additionalProperties": {
        const key = error.params.additionalProperty;
        at(error.instancePath, unknownFieldMessage(error, kind, parsed.file), key);
        break;
      }
      case "required": {
        const missing = error.params.missingProperty;
        const where = error.instancePath === "" ? "" : ` in ${fieldLabel(pathSegments(error.instancePath))}`;
        at(error.instancePath, `missing required field "${missing}"${where}`);
        break;
      }
      case "propertyNames":
        at(error.instancePath, "parameter names must not be empty", error.params.propertyName);
        break;
      default:
        if (seenValuePaths.has(error.instancePath)) break;
        seenValuePaths.add(error.instancePath);
        at(error.instancePath, valueMessage(error, parsed.file, kind));
    }
  }
  return problems;
}

// src/repo/read.ts
function readMetadataFile(file, content2, kind) {
  const encoding = encodingProblems(file, content2);
  if (encoding.length > 0) return { valid: false, problems: encoding };
  const { parsed, problems: syntax } = parseYaml(content2.toString("utf8"), file);
  if (syntax.length > 0) return { parsed, valid: false, problems: syntax };
  const schema = schemaProblems(parsed, kind);
  return { parsed, valid: schema.length === 0, problems: schema };
}
async function readRepositoryFiles(files) {
  const results = /* @__PURE__ */ new Map();
  const problems = [];
  for (const file of files) {
    let content2;
    try {
      content2 = readFileSync(file.absolutePath);
    } catch (err) {
      problems.push({ file: file.path, line: 1, column: 1, message: `cannot be read: ${err.message}` });
      continue;
    }
    const result = { file, content: content2 };
    if (file.kind === "script") result.check = scriptContentProblems(file.path, content2);
    else result.metadata = readMetadataFile(file.path, content2, file.kind);
    results.set(file.path, result);
  }
  return { results, problems };
}

// src/repo/validate.ts
import path5 from "node:path";
function folderProblems(folder) {
  const problems = [];
  const [first, ...others] = folder.scripts;
  if (first !== void 0 && others.length > 0) {
    const names = folder.scripts.map((s) => path5.posix.basename(s)).join(" and ");
    problems.push({ file: first, line: 1, column: 1, message: `two scripts in one folder (${names}); a folder holds one script: move the other into a folder of its own` });
  }
  if (folder.metaPath === void 0) {
    for (const script of folder.scripts) {
      problems.push({ file: script, line: 1, column: 1, message: "no meta.yaml beside this script; add one with at least a title" });
    }
  } else if (first === void 0) {
    problems.push({ file: folder.metaPath, line: 1, column: 1, message: "no script.sh or script.ps1 beside this meta.yaml" });
  }
  return problems;
}
function problemAt(parsed, field, message) {
  return { file: parsed.file, ...positionOf2(parsed, `/${field}`), message };
}
function mergedFieldProblems(merged, scriptPath, metaPath) {
  const problems = [];
  const forScript = (field) => merged.source[field].file === metaPath ? "" : ` for ${scriptPath}`;
  const platform = merged.fields.platform;
  if (platform !== void 0) {
    const name = path5.posix.basename(scriptPath);
    if (defaultPlatform(scriptPath) === "WINDOWS" && platform !== "WINDOWS") {
      problems.push(problemAt(merged.source.platform, "platform", `platform ${platform} does not fit ${name}${forScript("platform")}: a PowerShell script runs on WINDOWS`));
    } else if (defaultPlatform(scriptPath) !== "WINDOWS" && platform === "WINDOWS") {
      problems.push(problemAt(merged.source.platform, "platform", `platform WINDOWS does not fit ${name}${forScript("platform")}: a shell script runs on LINUX, UNIX or MAC; write script.ps1 for Windows`));
    }
  }
  const hasThreshold = merged.fields.threshold !== void 0;
  const hasUnit = merged.fields.thresholdTimeUnit !== void 0;
  if (hasThreshold && !hasUnit) {
    problems.push(problemAt(merged.source.threshold, "threshold", `threshold needs thresholdTimeUnit (SECOND, MINUTE or HOUR) beside it${forScript("threshold")}`));
  } else if (hasUnit && !hasThreshold) {
    problems.push(problemAt(merged.source.thresholdTimeUnit, "thresholdTimeUnit", `thresholdTimeUnit has no threshold to apply to${forScript("thresholdTimeUnit")}; set threshold too`));
  }
  return problems;
}
function duplicateTitleProblems(metas) {
  const byTitle = /* @__PURE__ */ new Map();
  for (const parsed of metas) {
    const title = parsed.value?.title;
    if (typeof title !== "string" || title.trim() === "") continue;
    const key = title.trim().toLowerCase();
    const group = byTitle.get(key);
    if (group) group.push(parsed);
    else byTitle.set(key, [parsed]);
  }
  const problems = [];
  for (const group of byTitle.values()) {
    if (group.length < 2) continue;
    for (const parsed of group) {
      const others = group.filter((other) => other !== parsed).map((other) => other.file).join(", ");
      const title = parsed.value.title;
      problems.push(problemAt(parsed, "title", `title "${title}" is also used by ${others}; titles must be unique (ignoring case)`));
    }
  }
  return problems;
}

// src/repo/load.ts
function folderOf(file) {
  const folder = path6.posix.dirname(file);
  return folder === "." ? "" : folder;
}
function groupByFolder(files, read) {
  const folders = /* @__PURE__ */ new Map();
  for (const file of files) {
    if (file.kind === "defaults" || !read.has(file.path)) continue;
    const folderPath = folderOf(file.path);
    let folder = folders.get(folderPath);
    if (!folder) folders.set(folderPath, folder = { path: folderPath, scripts: [] });
    if (file.kind === "script") folder.scripts.push(file.path);
    else folder.metaPath = file.path;
  }
  return folders;
}
async function loadRepository(root, scriptsDir) {
  const discovery = await discoverFiles(root, scriptsDir);
  const problems = [...discovery.problems];
  const warnings = [];
  if (!discovery.scriptsDirFound) return { scripts: [], problems, warnings };
  if (!discovery.files.some((file) => file.kind === "script")) {
    warnings.push({ file: discovery.scriptsDir || ".", line: 1, column: 1, message: "no script.sh or script.ps1 found in this folder or below it" });
  }
  const { results: read, problems: readProblems } = await readRepositoryFiles(discovery.files);
  problems.push(...readProblems);
  for (const result of read.values()) {
    problems.push(...result.metadata?.problems ?? result.check?.problems ?? []);
    warnings.push(...result.check?.warnings ?? []);
  }
  const defaultsByFolder = /* @__PURE__ */ new Map();
  for (const { file, metadata } of read.values()) {
    if (file.kind !== "defaults" || !metadata) continue;
    const parsed = metadata.parsed ?? parseYaml("", file.path).parsed;
    const fields = metadata.valid && parsed.value ? parsed.value : {};
    const folder = folderOf(file.path);
    defaultsByFolder.set(folder, { parsed, fields, folder, valid: metadata.valid });
  }
  const metas = [];
  const candidates = [];
  for (const folder of groupByFolder(discovery.files, read).values()) {
    problems.push(...folderProblems(folder));
    if (folder.metaPath === void 0) continue;
    const meta2 = read.get(folder.metaPath).metadata;
    if (meta2.parsed) metas.push(meta2.parsed);
    const scriptPath = folder.scripts[0];
    if (!meta2.valid || !meta2.parsed || folder.scripts.length !== 1 || scriptPath === void 0) continue;
    const chain = defaultsChain(folder.path, discovery.scriptsDir, defaultsByFolder);
    if (chain.some((defaults2) => !defaults2.valid)) continue;
    const merged = mergeLayers([...chain, { parsed: meta2.parsed, fields: meta2.parsed.value }]);
    const mergedProblems = mergedFieldProblems(merged, scriptPath, folder.metaPath);
    problems.push(...mergedProblems);
    if (mergedProblems.length > 0) continue;
    const content2 = read.get(scriptPath).content;
    const scriptMeta = toScriptMeta(merged.fields, scriptPath);
    candidates.push({ path: scriptPath, metaPath: folder.metaPath, content: content2, meta: scriptMeta, hash: scriptHash(scriptMeta, content2) });
  }
  problems.push(...duplicateTitleProblems(metas));
  const filesWithProblems = new Set(problems.map((problem) => problem.file));
  const scripts = candidates.filter((script) => !filesWithProblems.has(script.path) && !filesWithProblems.has(script.metaPath)).sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  problems.sort(compareProblems);
  warnings.sort(compareProblems);
  return { scripts, problems, warnings };
}

// src/sync.ts
function stateFilePath(config) {
  return path7.join(config.root, ...config.stateFile.split("/"));
}
async function prepare(config, options = {}) {
  const [repository, stateOrProblems] = await Promise.all([
    loadRepository(config.root, config.scriptsDir),
    readStateFile(stateFilePath(config), config.stateFile).catch((err) => {
      if (err instanceof InvalidRepositoryError) return err;
      throw err;
    })
  ]);
  const problems = [...repository.problems];
  if (stateOrProblems instanceof InvalidRepositoryError) problems.push(...stateOrProblems.problems);
  if (problems.length > 0) throw new InvalidRepositoryError(problems.sort(compareProblems));
  const localState = stateOrProblems;
  const state = options.mergeState ? await options.mergeState(localState) : localState;
  return {
    scripts: repository.scripts,
    state,
    plan: planSync(repository.scripts, state, { force: config.force }),
    warnings: repository.warnings
  };
}
function plannedWriteCalls(plan) {
  return plan.counts.create + plan.counts.update;
}
async function sync(config, prepared, deps = {}) {
  const car = plannedWriteCalls(prepared.plan) > 0 && !deps.client ? requireCar(config) : void 0;
  const makeClient = deps.client ?? (() => new CarHttpClient({ settings: car, concurrency: config.concurrency, log: deps.log }));
  const persist = deps.persist ?? ((state) => writeStateFile(stateFilePath(config), state));
  const journal = new StateJournal(prepared.state, persist);
  let client;
  const lazyClient = {
    createScript: (body, signal) => (client ??= makeClient()).createScript(body, signal),
    updateScript: (id, body, signal) => (client ??= makeClient()).updateScript(id, body, signal)
  };
  try {
    const result = await applyPlan(prepared.plan, {
      client: lazyClient,
      journal,
      // One action more than the client lets into flight: it writes its intent while the others'
      // calls run, so a slot that frees never waits for the disk (~5 ms per call otherwise).
      concurrency: config.concurrency + 1,
      maxWrites: config.maxWrites,
      stop: deps.stop,
      graceMs: deps.graceMs,
      log: deps.log,
      updateComment: deps.updateComment ? (action) => deps.updateComment(action.path) : void 0
    });
    return { ...result, state: journal.current() };
  } finally {
    await client?.close?.();
  }
}

// src/cli/commands.ts
async function validateCommand(config, io) {
  const prepared = await prepare(config);
  for (const warning of prepared.warnings) io.err(`warning: ${formatProblem(warning)}`);
  io.out(`${prepared.scripts.length} scripts valid; state file ${config.stateFile} valid.`);
  return 0;
}
async function planCommand(config, json, io) {
  const prepared = await prepare(config);
  for (const warning of prepared.warnings) io.err(`warning: ${formatProblem(warning)}`);
  io.out(json ? JSON.stringify(planJson(prepared.plan, void 0, prepared.warnings), null, 2) : renderText(prepared.plan));
  return 0;
}
async function applyCommand(config, json, io, stop) {
  const prepared = await prepare(config);
  for (const warning of prepared.warnings) io.err(`warning: ${formatProblem(warning)}`);
  const result = await sync(config, prepared, {
    stop,
    log: (message) => io.err(message)
  });
  io.out(json ? JSON.stringify(planJson(prepared.plan, result, prepared.warnings), null, 2) : renderText(prepared.plan, result));
  return applySucceeded(result) ? 0 : 1;
}
async function adoptCommand(config, path9, id, io) {
  const file = stateFilePath(config);
  const state = await readStateFile(file, config.stateFile);
  if (!/^\d+$/.test(id)) throw new Error(`"${id}" is not a CAR script id; expected a positive whole number`);
  await writeStateFile(file, adoptScript(state, path9, Number(id)));
  io.out(`${path9} is now managed as CAR script ${id}; the next apply sends the repository's version once.`);
  return 0;
}
async function forgetCommand(config, path9, io) {
  const file = stateFilePath(config);
  const state = await readStateFile(file, config.stateFile);
  await writeStateFile(file, forgetScript(state, path9));
  io.out(`${path9} removed from ${config.stateFile}; if it is still in the repository the next apply creates it.`);
  return 0;
}

// src/demo.ts
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path8 from "node:path";
import { fileURLToPath } from "node:url";

// src/emulator/start-emulator.ts
import { createServer } from "node:http";

// src/emulator/http-io.ts
var BodyTooLargeError = class extends Error {
};
function envelope(status, message) {
  return { errorCode: String(status), message, body: null };
}
function readBody(req, maxBytes) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
    const gone = () => reject(new Error("the client closed the connection before the request was read"));
    if (req.destroyed) gone();
    req.on("close", () => {
      if (!req.complete) gone();
    });
  });
}
function mediaType(value) {
  return value?.split(";")[0]?.trim().toLowerCase() || void 0;
}
function send(exchange, status, contentType, text, headers) {
  const { res, entry } = exchange;
  if (res.destroyed || res.headersSent) {
    entry.status = res.headersSent ? res.statusCode : 0;
    return;
  }
  res.writeHead(status, { ...headers, "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
  entry.status = status;
}
function sendJson(exchange, status, body, headers = {}) {
  send(exchange, status, "application/json", JSON.stringify(body), headers);
}
function sendText(exchange, status, text, headers = {}) {
  send(exchange, status, "text/plain", text, headers);
}
function sendError(exchange, status, message, headers = {}) {
  sendJson(exchange, status, envelope(status, message), headers);
}
function sendNoContent(exchange) {
  exchange.res.writeHead(204).end();
  exchange.entry.status = 204;
}
function dropConnection(exchange) {
  exchange.req.socket.destroy();
  exchange.entry.status = 0;
}

// src/emulator/request-log.ts
import { performance } from "node:perf_hooks";
var REDACTED = "[redacted]";
function redactHeaders(headers) {
  const result = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === void 0) continue;
    const text = Array.isArray(value) ? value.join(", ") : value;
    result[name] = name === "authorization" ? redactAuthorization(text) : text;
  }
  return result;
}
function redactAuthorization(value) {
  const scheme = /^(\S+)\s/.exec(value)?.[1];
  return scheme ? `${scheme} ${REDACTED}` : REDACTED;
}
var RequestLog = class {
  origin = performance.now();
  entries = [];
  /** Milliseconds since the emulator started. */
  now() {
    return Math.round((performance.now() - this.origin) * 1e3) / 1e3;
  }
  add(entry) {
    this.entries.push(entry);
  }
  list() {
    return structuredClone(this.entries).sort((a, b) => a.at - b.at);
  }
  clear() {
    this.entries = [];
  }
};

// src/emulator/auth-route.ts
import { timingSafeEqual } from "node:crypto";
var MAX_FORM_BYTES = 64 * 1024;
function sameSecret(a, b) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
async function handleAuth(state, exchange) {
  const type = mediaType(exchange.req.headers["content-type"]);
  const raw = await readBody(exchange.req, MAX_FORM_BYTES);
  if (type !== "application/x-www-form-urlencoded") {
    return sendError(exchange, 415, `/auth expects Content-Type application/x-www-form-urlencoded, got ${type ?? "none"}.`);
  }
  const form = new URLSearchParams(raw.toString("utf8"));
  const logged = Object.fromEntries(form);
  if ("password" in logged) logged.password = REDACTED;
  exchange.entry.body = logged;
  const username = form.get("username");
  const password = form.get("password");
  if (form.get("token") !== "true") return sendError(exchange, 400, "/auth needs token=true in the form to answer with a token.");
  if (!username || password === null) return sendError(exchange, 400, "/auth needs both username and password in the form.");
  const user = state.users.get(username);
  if (!user || !sameSecret(user.password, password)) return sendError(exchange, 401, "Invalid username or password.");
  sendText(exchange, 201, state.tokens.issue(user.username));
}

// src/emulator/script-routes.ts
import { performance as performance2 } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

// src/emulator/script-body-rules.ts
var MAX_CONTENT_BYTES = 512e3;
var PLATFORMS = ["WINDOWS", "LINUX", "UNIX", "MAC"];
var TIME_UNITS = ["SECOND", "MINUTE", "HOUR"];
var SUB_TYPES = ["Response", "Detection"];
var STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function describe2(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === "number" || typeof value === "boolean") return `the ${typeof value} ${String(value)}`;
  return `a${typeof value === "object" ? "n object" : ` ${typeof value}`}`;
}
function isStrictBase64(text) {
  return STRICT_BASE64.test(text) && Buffer.from(text, "base64").toString("base64") === text;
}
var string = (value, field) => typeof value === "string" ? void 0 : `"${field}" must be a string, got ${describe2(value)}`;
var nonEmptyString = (value, field) => typeof value === "string" && value.trim() !== "" ? void 0 : `"${field}" must be a non-empty string, got ${describe2(value)}`;
var boolean = (value, field) => typeof value === "boolean" ? void 0 : `"${field}" must be a boolean, got ${describe2(value)}`;
var positiveInteger2 = (value, field) => typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? void 0 : `"${field}" must be a positive whole number, got ${describe2(value)}`;
var oneOf = (allowed) => (value, field) => typeof value === "string" && allowed.includes(value) ? void 0 : `"${field}" must be one of ${allowed.join(", ")}, got ${describe2(value)}`;
var severity = (value, field) => typeof value === "string" && /^[1-5]$/.test(value) ? void 0 : `"${field}" must be a string "1" to "5", got ${describe2(value)}`;
var base64String = (value, field) => {
  if (typeof value !== "string") return `"${field}" must be a base64 string, got ${describe2(value)}`;
  if (value === "") return `"${field}" must not be empty`;
  return isStrictBase64(value) ? void 0 : `"${field}" is not valid base64 (standard alphabet, with = padding)`;
};
var content = (value, field) => {
  const problem = base64String(value, field);
  if (problem) return problem;
  const bytes = Buffer.from(value, "base64").length;
  return bytes > MAX_CONTENT_BYTES ? `"${field}" is ${bytes} bytes once decoded; CAR accepts at most ${MAX_CONTENT_BYTES}` : void 0;
};
var stringList = (value, field) => Array.isArray(value) && value.every((item) => typeof item === "string") ? void 0 : `"${field}" must be a list of strings, got ${describe2(value)}`;
var nonEmptyStringList = (value, field) => stringList(value, field) ?? (value.length === 0 ? `"${field}" must list at least one entry` : void 0);
function objectProblems(value, field, fields) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [`"${field}" must be an object, got ${describe2(value)}`];
  const record = value;
  const prefix = field === "" ? "" : `${field}.`;
  const problems = [];
  for (const key of Object.keys(record)) {
    if (!(key in fields)) problems.push(`unknown field "${prefix}${key}"`);
  }
  for (const [key, rule] of Object.entries(fields)) {
    if (!(key in record)) {
      if (rule.required) problems.push(`"${prefix}${key}" is required`);
      continue;
    }
    const problem = rule.check(record[key], `${prefix}${key}`);
    if (problem) problems.push(problem);
  }
  return problems;
}
var utf8 = new TextDecoder("utf-8", { fatal: true });
var CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
function decodesToText(base64) {
  try {
    return !CONTROL_CHARACTER.test(utf8.decode(Buffer.from(base64, "base64")));
  } catch {
    return false;
  }
}
var base64Text = (allowEmpty) => (value, field) => {
  if (allowEmpty && value === "") return void 0;
  const problem = base64String(value, field);
  if (problem) return problem;
  return decodesToText(value) ? void 0 : `"${field}" does not decode to UTF-8 text; was it sent without base64 encoding?`;
};
var PARAM_FIELDS = {
  key: { required: true, check: base64Text(false) },
  // A parameter may default to the empty string, whose base64 is empty too.
  value: { required: true, check: base64Text(true) }
};
var params = (value, field) => {
  if (!Array.isArray(value)) return `"${field}" must be a list of {key, value}, got ${describe2(value)}`;
  if (value.length === 0) return `"${field}" must not be empty (send hasParameters false and no params instead)`;
  const problems = value.flatMap((item, index) => objectProblems(item, `${field}[${index}]`, PARAM_FIELDS));
  return problems.length > 0 ? problems.join("; ") : void 0;
};
var CONTROL_ID_FIELDS = {
  cid: { required: true, check: nonEmptyString },
  tech: { required: true, check: nonEmptyStringList },
  policies: { check: stringList },
  displayName: { check: string },
  subType: { check: oneOf(SUB_TYPES) }
};
var controlIdMetadata = (value, field) => {
  const problems = objectProblems(value, field, CONTROL_ID_FIELDS);
  return problems.length > 0 ? problems.join("; ") : void 0;
};
var CREATE_FIELDS = {
  title: { required: true, check: nonEmptyString },
  content: { required: true, check: content },
  description: { check: string },
  platform: { required: true, check: oneOf(PLATFORMS) },
  severity: { check: severity },
  threshold: { check: positiveInteger2 },
  thresholdTimeUnit: { check: oneOf(TIME_UNITS) },
  typeId: { check: positiveInteger2 },
  languageId: { check: positiveInteger2 },
  categoryId: { check: positiveInteger2 },
  scriptApprovalUserConsent: { check: boolean },
  hasParameters: { check: boolean },
  params: { check: params },
  autorScriptsMetadata: { check: controlIdMetadata }
};
var UPDATE_FIELDS = { ...CREATE_FIELDS, comment: { check: string } };
function scriptBodyProblem(body, update) {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return `The body must be a JSON object, got ${describe2(body)}.`;
  const problems = objectProblems(body, "", update ? UPDATE_FIELDS : CREATE_FIELDS);
  if (problems.length === 0) {
    const record = body;
    const hasParams = "params" in record;
    if (record.hasParameters === true && !hasParams) problems.push('"params" is required when "hasParameters" is true');
    if (record.hasParameters !== true && hasParams) problems.push('"params" is sent but "hasParameters" is not true');
  }
  if (problems.length === 0) return void 0;
  return `Invalid script body: ${problems.join("; ")}.`;
}
function missingCommentProblem(previous, next) {
  if (previous.content === next.content) return void 0;
  const comment = next.comment;
  return typeof comment === "string" && comment.trim() !== "" ? void 0 : '"comment" is required when the content changes.';
}

// src/emulator/script-routes.ts
var CREATE_ACCEPT = "application/vnd.qualys.car.api.v5.0+json";
var UPDATE_ACCEPT = "application/vnd.qualys.car.api.v4.0+json";
var MAX_JSON_BYTES = 2 * 1024 * 1024;
function authenticate(state, header2) {
  if (!header2) return { problem: 'Authorization header missing: send "Authorization: Bearer <token>" with a token from /auth.' };
  const token = /^Bearer ([^\s]+)$/.exec(header2)?.[1];
  if (!token) return { problem: 'Authorization header must be "Bearer <token>".' };
  const check = state.tokens.check(token);
  if (!check.ok) {
    return { problem: check.reason === "expired" ? "The token has expired: ask /auth for a new one." : "The token is not valid." };
  }
  const user = state.users.get(check.username);
  return user ? { user } : { problem: "The token is not valid." };
}
function limitHeaders(state) {
  return {
    "X-RateLimit-Limit": String(state.window.limit),
    "X-RateLimit-Window-Sec": String(state.window.windowSec),
    "X-RateLimit-Remaining": String(state.window.remaining(performance2.now())),
    "X-Concurrency-Limit-Limit": String(state.settings.concurrencyLimit),
    "X-Concurrency-Limit-Running": String(state.running)
  };
}
function sendBlocked(state, exchange, waitMs, message) {
  const waitSec = String(Math.ceil(waitMs / 1e3));
  sendError(exchange, state.settings.rateLimitStatus, message, {
    ...limitHeaders(state),
    "X-RateLimit-ToWait-Sec": waitSec,
    "Retry-After": waitSec
  });
}
async function handleScriptCall(state, exchange, call) {
  const auth = authenticate(state, exchange.req.headers.authorization);
  if ("problem" in auth) return sendError(exchange, 401, auth.problem, limitHeaders(state));
  const { rateLimit: rateLimit2, concurrencyLimit, latencyMs } = state.settings;
  const now = performance2.now();
  const waitMs = state.window.waitMs(now);
  if (waitMs > 0) {
    return sendBlocked(state, exchange, waitMs, `Rate limit exceeded: ${rateLimit2.calls} calls per ${rateLimit2.windowSec} seconds. Retry later.`);
  }
  if (state.running >= concurrencyLimit) {
    return sendBlocked(state, exchange, 1e3, `Concurrency limit exceeded: ${concurrencyLimit} calls at once. Retry later.`);
  }
  state.window.record(now);
  state.running++;
  try {
    if (latencyMs > 0) await sleep(latencyMs);
    await processScriptCall(state, exchange, call, auth.user);
  } finally {
    state.running--;
  }
}
async function readJson(state, exchange, accept) {
  const { req } = exchange;
  const headers = limitHeaders(state);
  const given = req.headers.accept?.trim();
  if (given !== accept) {
    sendError(exchange, 406, `This call expects "Accept: ${accept}", got ${given ? `"${given}"` : "none"}.`, headers);
    return void 0;
  }
  const type = mediaType(req.headers["content-type"]);
  if (type !== "application/json") {
    sendError(exchange, 415, `This call expects "Content-Type: application/json", got ${type ? `"${type}"` : "none"}.`, headers);
    return void 0;
  }
  let raw;
  try {
    raw = await readBody(req, MAX_JSON_BYTES);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    sendError(exchange, 413, `The body is larger than ${MAX_JSON_BYTES} bytes.`, { ...headers, Connection: "close" });
    return void 0;
  }
  const text = raw.toString("utf8");
  try {
    const body = JSON.parse(text);
    exchange.entry.body = body;
    return { body };
  } catch {
    exchange.entry.body = text === "" ? void 0 : text.slice(0, 2e3);
    sendError(exchange, 400, text === "" ? "The body is empty; expected a JSON object." : "The body is not valid JSON.", headers);
    return void 0;
  }
}
async function processScriptCall(state, exchange, call, user) {
  const read = await readJson(state, exchange, call.kind === "create" ? CREATE_ACCEPT : UPDATE_ACCEPT);
  if (!read) return;
  const problem = scriptBodyProblem(read.body, call.kind === "update");
  if (problem) return sendError(exchange, 400, problem, limitHeaders(state));
  const body = read.body;
  if (call.kind === "create") return createScript(state, exchange, body, user);
  return updateScript(state, exchange, call.rawId, body, user);
}
function injectedFailure(state, exchange) {
  if (state.random() >= state.settings.failRate) return false;
  sendError(exchange, 500, "Internal server error (injected by the emulator; nothing was stored).", limitHeaders(state));
  return true;
}
function answerLost(state, exchange) {
  if (state.random() >= state.settings.lostAnswerRate) return false;
  dropConnection(exchange);
  return true;
}
function createScript(state, exchange, body, user) {
  const { maxScripts } = state.settings;
  if (state.store.ownedBy(user.username) >= maxScripts) {
    return sendError(exchange, 400, `User "${user.username}" already has ${maxScripts} scripts, the most CAR allows per user.`, limitHeaders(state));
  }
  if (injectedFailure(state, exchange)) return;
  const script = state.store.create(body, user);
  exchange.entry.scriptId = script.id;
  if (answerLost(state, exchange)) return;
  sendJson(exchange, 200, { errorCode: "0", message: "Script created successfully", body: { id: script.id } }, limitHeaders(state));
}
function updateScript(state, exchange, rawId, body, user) {
  const id = /^[1-9][0-9]{0,14}$/.test(rawId) ? Number(rawId) : void 0;
  if (id === void 0) return sendError(exchange, 400, `Script id "${rawId}" is not a positive whole number.`, limitHeaders(state));
  const script = state.store.findVisible(id, user);
  if (!script) return sendError(exchange, 404, `Script with id ${id} not found.`, limitHeaders(state));
  const commentProblem = missingCommentProblem(script.body, body);
  if (commentProblem) return sendError(exchange, 400, commentProblem, limitHeaders(state));
  if (injectedFailure(state, exchange)) return;
  state.store.update(script, body, user);
  exchange.entry.scriptId = id;
  if (answerLost(state, exchange)) return;
  sendJson(exchange, 200, { id, message: "Updated Successfully." }, limitHeaders(state));
}

// src/emulator/routes.ts
var INSPECTION_PREFIX = "/__emulator/";
var EXACT_ROUTES = {
  "/auth": { methods: { POST: handleAuth } },
  "/sm/v5/script": { methods: { POST: (state, exchange) => handleScriptCall(state, exchange, { kind: "create" }) } },
  "/__emulator/scripts": { methods: { GET: (state, exchange) => sendJson(exchange, 200, state.store.list()) } },
  "/__emulator/requests": { methods: { GET: (state, exchange) => sendJson(exchange, 200, state.log.list()) } },
  "/__emulator/reset": {
    methods: {
      POST: (state, exchange) => {
        state.reset();
        sendNoContent(exchange);
      }
    }
  }
};
var UPDATE_PATH = /^\/sm\/v4\/script\/([^/]+)$/;
function findRoute(path9) {
  const exact = EXACT_ROUTES[path9];
  if (exact) return exact;
  const rawId = UPDATE_PATH.exec(path9)?.[1];
  if (rawId === void 0) return void 0;
  return { methods: { PATCH: (state, exchange) => handleScriptCall(state, exchange, { kind: "update", rawId }) } };
}

// src/emulator/settings.ts
import { randomInt } from "node:crypto";
var UNLIMITED_CALLS = { calls: 1e6, windowSec: 3600 };
var UNLIMITED_CONCURRENCY = 1e3;
var DEFAULT_USER = { username: "demo", password: "demo" };
function wholeNumber(name, value, fallback, min) {
  if (value === void 0) return fallback;
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`emulator option ${name} must be a whole number >= ${min}, got ${value}`);
  return value;
}
function fraction(name, value) {
  if (value === void 0) return 0;
  if (!(value >= 0 && value <= 1)) throw new Error(`emulator option ${name} must be between 0 and 1, got ${value}`);
  return value;
}
function scopedUsers(users) {
  const list = users && users.length > 0 ? users : [DEFAULT_USER];
  const seen = /* @__PURE__ */ new Set();
  return list.map((user) => {
    if (!user.username) throw new Error("emulator users need a non-empty username");
    if (seen.has(user.username)) throw new Error(`emulator user "${user.username}" is configured twice`);
    seen.add(user.username);
    const scopes = user.scopes ? [...user.scopes] : void 0;
    const scoped = { username: user.username, password: user.password };
    if (scopes) scoped.scopes = scopes;
    const tag = user.tag ?? scopes?.[0];
    if (tag !== void 0) scoped.tag = tag;
    return scoped;
  });
}
function resolveSettings(options = {}) {
  const rateLimit2 = options.rateLimit ?? UNLIMITED_CALLS;
  const users = scopedUsers(options.users);
  const firstUser = users[0].username;
  const status = options.rateLimitStatus ?? 409;
  if (status !== 409 && status !== 429) throw new Error(`emulator option rateLimitStatus must be 409 or 429, got ${String(status)}`);
  return {
    port: wholeNumber("port", options.port, 0, 0),
    latencyMs: wholeNumber("latencyMs", options.latencyMs, 0, 0),
    rateLimit: {
      calls: wholeNumber("rateLimit.calls", rateLimit2.calls, 0, 1),
      windowSec: wholeNumber("rateLimit.windowSec", rateLimit2.windowSec, 0, 1)
    },
    rateLimitStatus: status,
    concurrencyLimit: wholeNumber("concurrencyLimit", options.concurrencyLimit, UNLIMITED_CONCURRENCY, 1),
    failRate: fraction("failRate", options.failRate),
    lostAnswerRate: fraction("lostAnswerRate", options.lostAnswerRate),
    seed: options.seed ?? randomInt(2 ** 31),
    users,
    tokens: new Map((options.tokens ?? []).map((token) => [token, firstUser])),
    tokenTtlSec: wholeNumber("tokenTtlSec", options.tokenTtlSec, 4 * 3600, 0),
    firstId: wholeNumber("firstId", options.firstId, 1e5, 1),
    maxScripts: wholeNumber("maxScripts", options.maxScripts, 5e3, 0),
    existingScripts: (options.existingScripts ?? []).map((script) => ({
      id: wholeNumber("existingScripts[].id", script.id, 0, 1),
      body: script.body
    }))
  };
}

// src/emulator/prng.ts
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = state + 1831565813 >>> 0;
    let t = state;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}

// src/emulator/rate-limiter.ts
var RollingWindow = class {
  constructor(limit, windowSec) {
    this.limit = limit;
    this.windowSec = windowSec;
  }
  limit;
  windowSec;
  /** Monotonic times (ms) of counted calls, oldest first; entries before `first` are expired. */
  times = [];
  first = 0;
  /** 0 when a call may run now, else how long (ms) until the oldest counted call leaves the window. */
  waitMs(now) {
    this.expire(now);
    if (this.count() < this.limit) return 0;
    const oldest = this.times[this.first];
    return Math.max(1, oldest + this.windowSec * 1e3 - now);
  }
  record(now) {
    this.times.push(now);
  }
  remaining(now) {
    this.expire(now);
    return Math.max(0, this.limit - this.count());
  }
  reset() {
    this.times = [];
    this.first = 0;
  }
  count() {
    return this.times.length - this.first;
  }
  expire(now) {
    const horizon = now - this.windowSec * 1e3;
    while (this.first < this.times.length && this.times[this.first] <= horizon) this.first++;
    if (this.first > 1024 && this.first * 2 > this.times.length) {
      this.times = this.times.slice(this.first);
      this.first = 0;
    }
  }
};

// src/emulator/script-store.ts
function canSee(user, script) {
  return user.scopes === void 0 || script.tag !== void 0 && user.scopes.includes(script.tag);
}
var ScriptStore = class {
  constructor(firstId, existing = [], existingOwner) {
    this.firstId = firstId;
    this.existing = existing;
    this.existingOwner = existingOwner;
    this.nextId = firstId;
    this.reset();
  }
  firstId;
  existing;
  existingOwner;
  scripts = /* @__PURE__ */ new Map();
  nextId;
  ownedBy(username) {
    let count = 0;
    for (const script of this.scripts.values()) if (script.createdBy === username) count++;
    return count;
  }
  create(body, user) {
    const now = (/* @__PURE__ */ new Date()).toISOString();
    const script = {
      id: this.nextId++,
      body: structuredClone(body),
      createdBy: user.username,
      tag: user.tag,
      version: 1,
      createdAt: now,
      updatedAt: now
    };
    if (script.tag === void 0) delete script.tag;
    this.scripts.set(script.id, script);
    return script;
  }
  /** The script as this user sees it: one outside its scope is as absent as one never created. */
  findVisible(id, user) {
    const script = this.scripts.get(id);
    return script && canSee(user, script) ? script : void 0;
  }
  /** Updating moves the script into the updater's tag (car-api.md); an unscoped updater leaves it. */
  update(script, body, user) {
    script.body = structuredClone(body);
    if (user.tag !== void 0) script.tag = user.tag;
    script.version++;
    script.updatedAt = (/* @__PURE__ */ new Date()).toISOString();
  }
  list() {
    return [...this.scripts.values()].sort((a, b) => a.id - b.id).map((script) => structuredClone(script));
  }
  /** Back to the tenant as configured: only the existing scripts. */
  reset() {
    this.scripts.clear();
    this.nextId = this.firstId;
    const now = (/* @__PURE__ */ new Date()).toISOString();
    for (const { id, body } of this.existing) {
      const owner = this.existingOwner?.username ?? "demo";
      const script = { id, body: structuredClone(body), createdBy: owner, tag: this.existingOwner?.tag, version: 1, createdAt: now, updatedAt: now };
      if (script.tag === void 0) delete script.tag;
      this.scripts.set(id, script);
      this.nextId = Math.max(this.nextId, id + 1);
    }
  }
};

// src/emulator/tokens.ts
import { createHmac, randomBytes, timingSafeEqual as timingSafeEqual2 } from "node:crypto";
var base64url = (data) => Buffer.from(data).toString("base64url");
var TokenIssuer = class {
  constructor(ttlSec, staticTokens) {
    this.ttlSec = ttlSec;
    this.staticTokens = staticTokens;
  }
  ttlSec;
  staticTokens;
  secret = randomBytes(32);
  issue(username, nowMs = Date.now()) {
    const iat = Math.floor(nowMs / 1e3);
    const header2 = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
    const payload = base64url(
      JSON.stringify({ sub: username, iss: "car-sync-emulator", iat, exp: iat + this.ttlSec, jti: randomBytes(8).toString("hex") })
    );
    return `${header2}.${payload}.${this.sign(`${header2}.${payload}`)}`;
  }
  check(token, nowMs = Date.now()) {
    const staticUser = this.staticTokens.get(token);
    if (staticUser !== void 0) return { ok: true, username: staticUser };
    const [header2, payload, signature, extra] = token.split(".");
    if (header2 === void 0 || payload === void 0 || signature === void 0 || extra !== void 0) {
      return { ok: false, reason: "invalid" };
    }
    const expected = Buffer.from(this.sign(`${header2}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual2(expected, given)) return { ok: false, reason: "invalid" };
    let claims;
    try {
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    } catch {
      return { ok: false, reason: "invalid" };
    }
    if (typeof claims.sub !== "string" || typeof claims.exp !== "number") return { ok: false, reason: "invalid" };
    if (nowMs / 1e3 >= claims.exp) return { ok: false, reason: "expired" };
    return { ok: true, username: claims.sub };
  }
  sign(data) {
    return createHmac("sha256", this.secret).update(data).digest("base64url");
  }
};

// src/emulator/state.ts
var EmulatorState = class {
  constructor(settings) {
    this.settings = settings;
    this.users = new Map(settings.users.map((user) => [user.username, user]));
    this.tokens = new TokenIssuer(settings.tokenTtlSec, settings.tokens);
    this.store = new ScriptStore(settings.firstId, settings.existingScripts, settings.users[0]);
    this.window = new RollingWindow(settings.rateLimit.calls, settings.rateLimit.windowSec);
    this.random = seededRandom(settings.seed);
  }
  settings;
  users;
  tokens;
  store;
  window;
  log = new RequestLog();
  /** /sm calls admitted and not yet answered. */
  running = 0;
  random;
  reset() {
    this.store.reset();
    this.log.clear();
    this.window.reset();
    this.random = seededRandom(this.settings.seed);
  }
};

// src/emulator/start-emulator.ts
var HOST = "127.0.0.1";
async function handleRequest(state, req, res) {
  const path9 = (req.url ?? "/").split("?")[0];
  const method = req.method ?? "";
  const entry = { method, path: path9, status: 0, headers: redactHeaders(req.headers), body: void 0, at: state.log.now(), endedAt: 0 };
  const exchange = { req, res, entry };
  try {
    const route = findRoute(path9);
    const handler = route?.methods[method];
    if (!route) {
      sendError(exchange, 404, `No API at ${path9}.`);
    } else if (!handler) {
      const allowed = Object.keys(route.methods).join(", ");
      sendError(exchange, 405, `${method} is not allowed on ${path9}; use ${allowed}.`, { Allow: allowed });
    } else {
      await handler(state, exchange);
    }
  } catch (error) {
    sendError(exchange, 500, `The emulator failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    entry.endedAt = state.log.now();
    if (!path9.startsWith(INSPECTION_PREFIX)) state.log.add(entry);
  }
}
function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once("error", (error) => {
      reject(
        new Error(
          error.code === "EADDRINUSE" ? `The emulator cannot listen on ${HOST}:${port}: the port is in use; pick another with --port or use 0 for a free one.` : `The emulator cannot listen on ${HOST}:${port}: ${error.message}`
        )
      );
    });
    server.listen(port, HOST, () => resolve(server.address()));
  });
}
async function startEmulator(options = {}) {
  const state = new EmulatorState(resolveSettings(options));
  const server = createServer((req, res) => void handleRequest(state, req, res));
  const address = await listen(server, state.settings.port);
  let closing;
  return {
    url: `http://${HOST}:${address.port}`,
    scripts: () => state.store.list(),
    requests: () => state.log.list(),
    issueToken(username) {
      if (!state.users.has(username)) throw new Error(`The emulator has no user "${username}".`);
      return state.tokens.issue(username);
    },
    running: () => state.running,
    reset: () => state.reset(),
    close: () => closing ??= new Promise((resolve, reject) => {
      server.close((error) => error ? reject(error) : resolve());
      server.closeAllConnections();
    })
  };
}

// src/emulator/cli.ts
import { randomInt as randomInt2 } from "node:crypto";
function wholeNumber2(flag, value, min) {
  const number2 = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(number2) || number2 < min) throw new Error(`--${flag}: expected a whole number >= ${min}, got "${value}".`);
  return number2;
}
function fraction2(flag, value) {
  const number2 = /^(?:0|1|0?\.\d+|1\.0*)$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!(number2 >= 0 && number2 <= 1)) throw new Error(`--${flag}: expected a fraction from 0 to 1 such as 0.1, got "${value}".`);
  return number2;
}
function rateLimit(value) {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  if (!match) throw new Error(`--rate-limit: expected CALLS/SECONDS such as 20/5 (20 calls per 5 seconds), got "${value}".`);
  return { calls: wholeNumber2("rate-limit", match[1], 1), windowSec: wholeNumber2("rate-limit", match[2], 1) };
}
function parseEmulatorUser(spec) {
  const nameEnd = spec.indexOf(":");
  const username = nameEnd > 0 ? spec.slice(0, nameEnd) : "";
  const rest = spec.slice(nameEnd + 1);
  const scopeStart = rest.lastIndexOf(":");
  const password = scopeStart >= 0 ? rest.slice(0, scopeStart) : rest;
  if (!username || !password) throw new Error("--user: expected NAME:PASSWORD or NAME:PASSWORD:SCOPE1,SCOPE2 (password not shown).");
  const user = { username, password };
  const scopes = scopeStart >= 0 ? rest.slice(scopeStart + 1).split(",").map((scope) => scope.trim()).filter(Boolean) : [];
  if (scopes.length > 0) user.scopes = scopes;
  return user;
}
function emulatorOptionsFromArgs(args) {
  const options = {};
  const value = (name) => args[name];
  let text;
  if ((text = value("port")) !== void 0) options.port = wholeNumber2("port", text, 0);
  if (options.port !== void 0 && options.port > 65535) throw new Error(`--port: expected 0 to 65535, got "${text}".`);
  if ((text = value("latency")) !== void 0) options.latencyMs = wholeNumber2("latency", text, 0);
  if ((text = value("rate-limit")) !== void 0) options.rateLimit = rateLimit(text);
  if ((text = value("rate-limit-status")) !== void 0) {
    if (text.trim() !== "409" && text.trim() !== "429") throw new Error(`--rate-limit-status: expected 409 or 429, got "${text}".`);
    options.rateLimitStatus = text.trim() === "409" ? 409 : 429;
  }
  if ((text = value("concurrency-limit")) !== void 0) options.concurrencyLimit = wholeNumber2("concurrency-limit", text, 1);
  if ((text = value("fail-rate")) !== void 0) options.failRate = fraction2("fail-rate", text);
  if ((text = value("lost-answer-rate")) !== void 0) options.lostAnswerRate = fraction2("lost-answer-rate", text);
  if ((text = value("seed")) !== void 0) options.seed = wholeNumber2("seed", text, 0);
  if ((text = value("user")) !== void 0) options.users = text.split("\n").filter((line) => line !== "").map(parseEmulatorUser);
  if ((text = value("accept-token")) !== void 0) options.tokens = text.split(",").map((token) => token.trim()).filter(Boolean);
  if ((text = value("token-ttl")) !== void 0) options.tokenTtlSec = wholeNumber2("token-ttl", text, 0);
  if ((text = value("first-id")) !== void 0) options.firstId = wholeNumber2("first-id", text, 1);
  if ((text = value("max-scripts")) !== void 0) options.maxScripts = wholeNumber2("max-scripts", text, 0);
  return options;
}
function waitForStop(signal) {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      signal?.removeEventListener("abort", stop);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    if (signal?.aborted) stop();
    else signal?.addEventListener("abort", stop);
  });
}
function describeLimits(options) {
  const lines = [];
  if (options.rateLimit) lines.push(`rate limit ${options.rateLimit.calls} calls per ${options.rateLimit.windowSec} s (answered ${options.rateLimitStatus ?? 409})`);
  if (options.concurrencyLimit) lines.push(`at most ${options.concurrencyLimit} calls at once`);
  if (options.latencyMs) lines.push(`${options.latencyMs} ms latency`);
  if (options.existingScripts?.length) lines.push(`holding ${options.existingScripts.length} existing script(s): ids ${options.existingScripts.map((s) => s.id).join(", ")}`);
  if (options.failRate) lines.push(`${options.failRate * 100}% of writes answered 500`);
  if (options.lostAnswerRate) lines.push(`${options.lostAnswerRate * 100}% of writes stored with the answer lost`);
  if (options.failRate || options.lostAnswerRate) lines.push(`fault seed ${options.seed} (pass --seed ${options.seed} to replay)`);
  return lines;
}
async function runEmulatorCli(options, log, stop = {}) {
  const effective = { ...options };
  if ((options.failRate || options.lostAnswerRate) && options.seed === void 0) effective.seed = randomInt2(2 ** 31);
  const emulator = await startEmulator(effective);
  const custom = options.users && options.users.length > 0;
  log(`CAR emulator listening on ${emulator.url}`);
  if (custom) {
    for (const user of options.users ?? []) log(`  user ${user.username}${user.scopes ? ` (tag scopes: ${user.scopes.join(", ")})` : ""}`);
    log(`  try: CAR_BASE_URL=${emulator.url} CAR_USERNAME=<name> CAR_PASSWORD=<password> car-sync apply`);
  } else {
    log(`  demo credentials: username ${DEFAULT_USER.username}, password ${DEFAULT_USER.password}`);
    log(`  try: CAR_BASE_URL=${emulator.url} CAR_USERNAME=${DEFAULT_USER.username} CAR_PASSWORD=${DEFAULT_USER.password} car-sync apply`);
  }
  for (const line of describeLimits(effective)) log(`  ${line}`);
  log(`  inspect: GET ${emulator.url}/__emulator/scripts, GET ${emulator.url}/__emulator/requests, POST ${emulator.url}/__emulator/reset`);
  log("Press Ctrl+C to stop.");
  await waitForStop(stop.signal);
  await emulator.close();
  log("CAR emulator stopped.");
}

// src/demo.ts
function bundledExample() {
  return fileURLToPath(new URL("../scripts-example", import.meta.url));
}
async function syncOnce(config, io, label) {
  const prepared = await prepare(config);
  io.out(`
== ${label}: plan ==
${renderText(prepared.plan)}`);
  const result = await sync(config, prepared);
  io.out(
    result.writeCalls > 0 ? `
== ${label}: apply ==
${renderText(prepared.plan, result)}` : `
== ${label}: apply ==
Nothing to do: every script is in step with CAR.`
  );
  return applySucceeded(result);
}
async function scriptsTheStateNames(config) {
  const { plan } = await prepare(config);
  return plan.actions.filter((a) => a.id !== void 0 && a.script).map((a) => ({ id: a.id, body: { ...carScriptBody(a.script.meta, a.script.content) } }));
}
async function runDemo(io, example = bundledExample()) {
  const root = await mkdtemp(path8.join(tmpdir(), "car-sync-demo-"));
  await cp(example, root, { recursive: true });
  const existing = await scriptsTheStateNames(resolveConfig({ root }, process.cwd()));
  const emulator = await startEmulator({ latencyMs: 20, rateLimit: { calls: 300, windowSec: 3600 }, concurrencyLimit: 2, existingScripts: existing });
  try {
    io.out(`CAR emulator on ${emulator.url} (holding ${existing.length} scripts); repository copied to ${root}`);
    const config = resolveConfig({ root, "base-url": emulator.url, username: "demo", password: "demo" }, process.cwd());
    const first = await syncOnce(config, io, "first run");
    const before = emulator.requests().length;
    const second = await syncOnce(config, io, "second run");
    const extra = emulator.requests().length - before;
    io.out(`
Second run sent ${extra} request(s) to CAR; the emulator holds ${emulator.scripts().length} script(s).`);
    return first && second && extra === 0 ? 0 : 1;
  } finally {
    await emulator.close();
    await rm(root, { recursive: true, force: true });
  }
}

// src/cli.ts
function stopOnSignal(io) {
  const stop = new AbortController();
  const onSignal = (signal) => {
    if (stop.signal.aborted) process.exit(1);
    io.err(`car-sync: ${signal} received; finishing the calls in flight and saving the state (send it again to quit at once)`);
    stop.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return stop.signal;
}
async function main(argv) {
  const io = { out: (t) => process.stdout.write(`${t}
`), err: (t) => process.stderr.write(`${t}
`) };
  let args;
  try {
    args = parseCliArgs(argv);
    if (args === "help") {
      io.out(USAGE);
      return 0;
    }
    if (args === "version") {
      io.out(typeof CAR_SYNC_VERSION === "string" ? CAR_SYNC_VERSION : "dev");
      return 0;
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`car-sync: ${err.message}

${USAGE}`);
    return 2;
  }
  try {
    const config = resolveConfig(withEnvironment(args.options, process.env), process.cwd());
    switch (args.command) {
      case "validate":
        return await validateCommand(config, io);
      case "plan":
        return await planCommand(config, args.json, io);
      case "apply":
        return await applyCommand(config, args.json, io, stopOnSignal(io));
      case "adopt":
        return await adoptCommand(config, args.positionals[0], args.positionals[1], io);
      case "forget":
        return await forgetCommand(config, args.positionals[0], io);
      case "emulator": {
        let options;
        try {
          options = emulatorOptionsFromArgs(args.emulator);
        } catch (err) {
          throw new UsageError(err.message);
        }
        if (args.options.root) options.existingScripts = await scriptsTheStateNames(config);
        await runEmulatorCli(options, (line) => io.out(line));
        return 0;
      }
      case "demo":
        return await runDemo(io);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`car-sync: ${err.message}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.err(`car-sync: --${err.option === "state-file" ? "state" : err.option}: ${err.problem}`);
      return 2;
    }
    if (err instanceof InvalidRepositoryError) {
      if (args.json) io.out(JSON.stringify(problemsJson(err.problems), null, 2));
      io.err(err.message);
      io.err(`car-sync: ${err.problems.length} problem(s) found; nothing was sent to CAR.`);
      return 1;
    }
    io.err(`car-sync: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`car-sync: unexpected error: ${err instanceof Error ? err.stack : String(err)}
`);
    process.exitCode = 1;
  }
);
