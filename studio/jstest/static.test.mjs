// Unit tests of the Studio page's DOM-free helpers; run with
// `node --test studio/jstest/` (scripts/test.d/60-studio.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorPointer, fieldKind, pointerSegment } from '../static/schemaform.js';
import { describeDelay, describeDigest, describeThrottle } from '../static/render.js';

test('errorPointer maps bridge errors to field pointers', async (t) => {
  const cases = [
    [{ path: '/skipEmail', message: 'must be boolean' }, '/skipEmail'],
    [{ path: '', message: "must have required property 'name'" }, '/name'],
    [{ path: '/user', message: "must have required property 'name'" }, '/user/name'],
    [{ path: '', message: "must have required property 'a/b'" }, '/a~1b'],
    [{ path: '/', message: 'Expected object, received string' }, ''],
    [{ path: '', message: 'must NOT have additional properties' }, ''],
    [{ message: 'no path' }, ''],
  ];
  for (const [err, want] of cases) {
    await t.test(`${err.path} ${err.message}`, () => assert.equal(errorPointer(err), want));
  }
});

test('pointerSegment escapes ~ and /', () => {
  assert.equal(pointerSegment('a/b~c'), 'a~1b~0c');
});

test('fieldKind picks the input for a schema', async (t) => {
  const cases = [
    [{ type: 'string' }, 'string'],
    [{ type: 'string', enum: ['a', 'b'] }, 'enum'],
    [{ const: 'x' }, 'enum'],
    [{ type: 'boolean' }, 'boolean'],
    [{ type: 'number' }, 'number'],
    [{ type: 'integer' }, 'integer'],
    [{ type: ['null', 'integer'] }, 'integer'],
    [{ type: 'object', properties: { a: { type: 'string' } } }, 'object'],
    [{ type: 'object', additionalProperties: true }, 'json'],
    [{ type: 'array', items: { type: 'string' } }, 'json'],
    [{ anyOf: [{ type: 'string' }, { type: 'number' }] }, 'json'],
    [undefined, 'json'],
  ];
  for (const [schema, want] of cases) {
    await t.test(JSON.stringify(schema) ?? 'undefined', () => assert.equal(fieldKind(schema), want));
  }
});

test('action steps are described in words', async (t) => {
  const cases = [
    [describeDelay({ amount: 1, unit: 'hours' }), 'Waits 1 hour.'],
    [describeDelay({ amount: 5, unit: 'minutes' }), 'Waits 5 minutes.'],
    [describeDelay({ type: 'timed', cron: '0 9 * * *' }), 'Waits until the schedule “0 9 * * *” fires.'],
    [describeDelay({ type: 'dynamic', dynamicKey: 'payload.sendAt' }), 'Waits until the time in “payload.sendAt”.'],
    [describeDigest({ amount: 30, unit: 'minutes', digestKey: 'postId' }), 'Collects events for 30 minutes, one digest per “postId”, then goes on with all of them.'],
    [describeDigest({ amount: 1, unit: 'days', lookBackWindow: { amount: 5, unit: 'minutes' } }), 'Collects events for 1 day; sends at once when no event came in the last 5 minutes, then goes on with all of them.'],
    [describeDigest({ cron: '0 8 * * 1' }), 'Collects events until the schedule “0 8 * * 1” fires, then goes on with all of them.'],
    [describeThrottle({ type: 'fixed', amount: 1, unit: 'hours', threshold: 3, throttleKey: 'userId' }), 'Allows 3 run(s) per 1 hour, counted per “userId”; later runs stop here.'],
    [describeThrottle({ type: 'dynamic', dynamicKey: 'payload.window', threshold: 2 }), 'Allows 2 run(s) per window read from “payload.window”; later runs stop here.'],
  ];
  for (const [got, want] of cases) {
    await t.test(want, () => assert.equal(got, want));
  }
});
