// The gate of an echofn worker: it admits one request at a time into the
// Go program, first come first served.
//
// The request in Go holds a ticket; the others wait in line. In workerd a
// request may only be woken by its own events, and is cancelled as hung
// when it waits on nothing of its own. So every promise a request awaits
// here is created by that request, and every request in the gate keeps a
// timer of its own that ticks every tickMs: it keeps the request alive
// while it waits, and shows that it still runs. A request may also be
// cancelled by the platform (its client went away): a holder whose ticks
// stopped, or a request woken for its turn that never took it, is dropped
// after deadAfterMs and the turn passes on.

// QueueTimeout is thrown by enter when a request waited queueTimeoutMs.
export class QueueTimeout extends Error {}

export function createGate({ tickMs = 50, deadAfterMs = 1_000, queueTimeoutMs = 30_000, warn = console.warn } = {}) {
  let holder = null; // ticket of the request in Go
  const line = []; // tickets of the waiting requests, in order of arrival
  let turn = 0; // serial number of the latest turn

  // enter resolves with a ticket once the calling request holds the gate.
  // The ticket's fail(err, foreign) may be set by its holder: it is called
  // when the holder is found dead, with foreign = true.
  async function enter() {
    const me = { tick: 0, ticker: null, wake: null, wokenAt: 0, fail: null };
    if (holder === null && line.length === 0) {
      take(me);
      return me;
    }
    line.push(me);
    const since = Date.now();
    let poll = null;
    try {
      await new Promise((resolve, reject) => {
        const attempt = () => {
          if (holder === me) {
            return;
          }
          clearDead();
          if (holder === null && line[0] === me) {
            line.shift();
            take(me);
            resolve();
          } else if (Date.now() - since > queueTimeoutMs) {
            const i = line.indexOf(me);
            if (i >= 0) {
              line.splice(i, 1);
            }
            reject(new QueueTimeout(`waited ${queueTimeoutMs} ms for its turn`));
          } else if (!line.includes(me)) {
            // Dropped as dead after a very late wake-up: queue again.
            me.wokenAt = 0;
            line.push(me);
          }
        };
        // Woken by the request that leaves (at once), or by our own ticks
        // (when that request, or the one woken before us, was cancelled).
        new Promise((wake) => (me.wake = wake)).then(attempt);
        poll = setInterval(attempt, tickMs);
      });
    } finally {
      clearInterval(poll);
    }
    return me;
  }

  // take gives the gate to me; it runs in me's own request.
  function take(me) {
    holder = me;
    turn++;
    me.tick = Date.now();
    me.ticker = setInterval(() => (me.tick = Date.now()), tickMs);
  }

  // leave passes the turn on. It must run in me's own request (it clears
  // me's timer: timer ids mean nothing in another request).
  function leave(me) {
    clearInterval(me.ticker);
    if (holder !== me) {
      return; // taken over after me was found dead
    }
    holder = null;
    wakeNext();
  }

  function wakeNext() {
    const next = line[0];
    if (next && next.wokenAt === 0) {
      next.wokenAt = Date.now();
      next.wake();
    }
  }

  // watch is what the waiting requests have seen of the holder: its tick
  // when they started watching, and when they last looked.
  let watch = { holder: null, tick: 0, since: 0, last: 0 };

  // clearDead frees the gate from a holder whose ticks stopped, and drops
  // from the head of the line requests that were woken but never came.
  // A holder is dead when the waiting requests' own ticks ran on schedule
  // for deadAfterMs and the holder's did not move: when the whole isolate
  // stalls (a busy machine, a long synchronous run), everyone's ticks are
  // late, and the watch starts over.
  function clearDead() {
    const now = Date.now();
    if (holder !== null) {
      if (watch.holder !== holder || watch.tick !== holder.tick || now - watch.last > 4 * tickMs) {
        watch = { holder, tick: holder.tick, since: now, last: now };
      } else {
        watch.last = now;
        if (now - watch.since > deadAfterMs) {
          warn("echofn: the request in Go stopped running (cancelled?); passing its turn on");
          const dead = holder;
          holder = null;
          if (dead.fail) {
            dead.fail(new Error("cancelled"), true);
          }
        }
      }
    }
    if (holder === null) {
      while (line.length > 0 && line[0].wokenAt !== 0 && now - line[0].wokenAt > deadAfterMs) {
        line.shift();
      }
      wakeNext();
    }
  }

  // alive records that the holder just ran: after a long synchronous run
  // its ticker is late, and it must not be taken for dead.
  function alive() {
    if (holder !== null) {
      holder.tick = Date.now();
    }
  }

  return {
    enter,
    leave,
    alive,
    // turn is the serial number of the current (or last) turn.
    turn: () => turn,
    // holder is the ticket in Go, or null.
    holder: () => holder,
    // waiting is how many requests wait in line.
    waiting: () => line.length,
    // sweep drops a dead holder and dead waiters, as every waiting request
    // does at each of its ticks.
    sweep: clearDead,
  };
}
