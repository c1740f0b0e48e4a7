// `npm start`: the merchant server, stopped with the npm that launched it. npm (11) runs a
// script through a shell (`sh -c node start.js`) and passes SIGINT and SIGTERM to that shell
// only; the shell dies without passing them on, so `kill <npm's PID>` used to leave the server
// running and holding its port. `"start": "exec node server.js"` would fix it for sh and break
// `npm start` where npm's shell is cmd.exe. So this file watches the processes above it — its
// parent (the shell), and under npm the parent's parent (npm itself, read from /proc on Linux)
// — and when one is gone it stops the server as SIGTERM does. Run directly (`node server.js`,
// a process manager) the server has no such watch.
import { readFileSync } from 'node:fs';

/** `/proc/PID/stat` split after the command name (which may hold spaces), or null elsewhere. */
function stat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}
/** A zombie is gone too: it has exited and only waits for its parent to read its status. */
function alive(pid) {
  const s = stat(pid);
  if (s) return s[0] !== 'Z';
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

const parent = process.ppid;
const npmPid = process.env.npm_lifecycle_event ? Number(stat(parent)?.[1]) : undefined;
const watched = [parent, npmPid].filter((pid) => Number.isInteger(pid) && pid > 1);
const watch = setInterval(() => {
  // Reparented (the parent exited) or a watched launcher gone: stop the way SIGTERM does.
  const gone = process.ppid !== parent ? parent : watched.find((pid) => !alive(pid));
  if (gone === undefined) return;
  clearInterval(watch);
  console.log(`[shop] launcher PID ${gone} exited`);
  process.kill(process.pid, 'SIGTERM');
}, 500);
watch.unref();

await import('./server.js');
