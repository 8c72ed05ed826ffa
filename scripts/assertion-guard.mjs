// Preloaded by the test runner (`node --import ./scripts/assertion-guard.mjs --test …`): a test that ends
// without a single assertion fails. A test that asserts nothing cannot fail, so it shows nothing.
//
// How: every function of node:assert and node:assert/strict counts its calls in the AsyncLocalStorage of the
// test that is running; `test` and `it` of node:test wrap their function so that, when it returns, a count
// of zero fails the test. A test that skips itself (`t.skip()`, `t.todo()`) or runs subtests is exempt, and
// so is a callback-style test (`(t, done)`), whose assertions may come after it returns.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
const als = new AsyncLocalStorage();
const WRAPPED = Symbol.for('gongkai.assertion-guard');

const assertModule = require('node:assert');
function countCalls(mod) {
  for (const key of Object.keys(mod)) {
    const fn = mod[key];
    if (typeof fn !== 'function' || fn[WRAPPED] || /^[A-Z]/.test(key) || key === 'strict') continue;
    const counted = function (...args) {
      const store = als.getStore();
      if (store) store.count++;
      // node:assert compares its own exports by identity (`fn === assert.match`): the original is put back
      // for the duration of the (synchronous) call.
      const shown = assertModule[key];
      assertModule[key] = fn;
      try {
        return fn.apply(this, args);
      } finally {
        assertModule[key] = shown;
      }
    };
    counted[WRAPPED] = true;
    mod[key] = counted;
  }
}
countCalls(assertModule);
countCalls(require('node:assert/strict'));

const nodeTest = require('node:test');

function guard(fn) {
  if (typeof fn !== 'function' || fn.length >= 2) return fn;
  return function guarded(t, ...rest) {
    const store = { count: 0, exempt: false };
    if (t && typeof t === 'object') {
      for (const name of ['skip', 'todo', 'test', 'plan']) {
        const orig = t[name];
        if (typeof orig === 'function') {
          t[name] = (...a) => {
            store.exempt = true;
            return orig.apply(t, a);
          };
        }
      }
    }
    return als.run(store, async () => {
      await fn.call(this, t, ...rest);
      if (store.count === 0 && !store.exempt) {
        throw new Error('这个测试没有任何断言：a test must assert something (scripts/assertion-guard.mjs)');
      }
    });
  };
}

function wrapRegistrar(orig) {
  if (typeof orig !== 'function' || orig[WRAPPED]) return orig;
  const wrapped = function (...args) {
    const options = args.find((a) => a && typeof a === 'object' && typeof a !== 'function');
    if (!(options && (options.skip || options.todo))) {
      const i = args.findIndex((a) => typeof a === 'function');
      if (i >= 0) args[i] = guard(args[i]);
    }
    return orig.apply(this, args);
  };
  for (const key of Object.keys(orig)) wrapped[key] = orig[key]; // .skip, .todo, .only stay the originals
  wrapped[WRAPPED] = true;
  return wrapped;
}

nodeTest.test = wrapRegistrar(nodeTest.test);
nodeTest.it = wrapRegistrar(nodeTest.it);
syncBuiltinESMExports();
