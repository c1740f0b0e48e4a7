// How a long-running `wxpay-wasm mock` process ends: on SIGINT, SIGTERM or SIGHUP, and when
// the launcher that started it goes away.
//
// Why the second: `npx wxpay-wasm mock &` does not run the mock in the process whose PID the
// shell prints. npm runs `sh -c wxpay-wasm …`, and that shell runs `node cli.mjs`, so `kill $!`
// reaches npm, two processes up. npm passes SIGINT and SIGTERM on to the shell only, which dies
// without passing them on, and SIGHUP to nobody; the mock used to live on, re-parented, holding
// its port. A process above us that exists only to launch us — its command line ends with our
// very arguments, as `npm exec wxpay-wasm mock …` and `sh -c wxpay-wasm mock …` do — is watched,
// and when it is no longer our ancestor, we stop as if hung up. A user's own shell, `nohup` or
// process manager never has that command line, so a deliberately detached mock keeps running.
// Linux only (it reads /proc); elsewhere the signals still work.
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';

export const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const POLL_MS = 500;

/**
 * Calls `stop(why)` once, on the first of: a signal in SIGNALS, or a launcher leaving our
 * ancestry. `stop` must close what holds the port; its promise is awaited, then the process
 * exits with 128 + the signal's number (129 for a lost launcher, as for a hang-up). A second
 * signal while stopping exits at once.
 */
export function endOnSignalsAndLauncher(stop, { args = process.argv.slice(2) } = {}) {
  let stopping = false;
  const end = async (why, code) => {
    if (stopping) process.exit(code);
    stopping = true;
    clearInterval(timer);
    try {
      await stop(why);
    } finally {
      process.exit(code);
    }
  };
  for (const sig of SIGNALS) process.on(sig, () => end(sig, 128 + constants.signals[sig]));
  const launchers = launcherChain(args);
  const timer = launchers.length
    ? setInterval(() => {
        const now = ancestors(launchers.length);
        if (launchers.some((pid, i) => now[i] !== pid))
          end(`launcher ${launchers.join(' → ')} exited`, 128 + constants.signals.SIGHUP);
      }, POLL_MS)
    : undefined;
  timer?.unref();
  return { launchers };
}

/** Our ancestors' PIDs, nearest first, at most `n`, read from /proc (empty where there is none). */
export function ancestors(n, pid = process.pid) {
  const out = [];
  for (let p = parentOf(pid); p > 1 && out.length < n; p = parentOf(p)) out.push(p);
  return out;
}

/** The nearest ancestors whose command line ends with `args`: the launchers of this process. */
export function launcherChain(args, pid = process.pid) {
  if (!args.length) return [];
  const tail = ` ${args.join(' ')}`;
  const out = [];
  for (let p = parentOf(pid); p > 1; p = parentOf(p)) {
    const cmd = commandLine(p);
    if (cmd === undefined || !cmd.endsWith(tail)) break;
    out.push(p);
  }
  return out;
}

/** The parent of `pid` (0 when unknown): field 4 of /proc/PID/stat, after the parenthesised name. */
function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) || 0;
  } catch {
    return 0;
  }
}

/** The command line of `pid` with its arguments joined by spaces (npm's process title included). */
function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').trimEnd();
  } catch {
    return undefined;
  }
}
