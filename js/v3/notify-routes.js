// The v3 notify handler's routing (issue 27): which `on` hook each event type goes to, and
// the `on` option checked at creation. v3 only, so the v2 download does not carry it: the
// shared handler (js/client/notify.js) is given an onPaid and an onNotify that dispatch to
// the hooks, and reports what they throw (`HOOK`) as the refusal's reason.
import { WxPayError } from '../core/index.js';
import { HOOK, bad, fn, int } from '../client/notify.js';

/** verifyNotify's bound for the timestamp window (seconds). */
const MAX_SKEW_CEILING = 3600;

/** The hooks of `on`, in the order the docs list them; `notify` takes what has no hook of its own. */
const ROUTES = ['paid', 'refund', 'transfer', 'profitSharing', 'complaint', 'notify'];

/**
 * Which hook an event goes to, by its event_type: a payment that succeeded (`paid` true) to
 * `paid`; refunds, transfers, profit sharing and complaints to theirs; anything else (another
 * TRANSACTION.* state, a combine payment, a new event type) to `notify`.
 */
const EVENT_ROUTES = [
  ['REFUND.', 'refund'],
  ['MCHTRANSFER.', 'transfer'],
  ['PROFITSHARING.', 'profitSharing'],
  ['COMPLAINT.', 'complaint'],
];
function eventRoute(n) {
  if (n.paid === true) return 'paid';
  return EVENT_ROUTES.find(([prefix]) => n.event_type.startsWith(prefix))?.[1] ?? 'notify';
}

/**
 * The shared handler's options from the v3 ones, `maxSkewSeconds` checked: without `on`, as given (`onPaid` required,
 * `onNotify`); with `on: { paid, refund, transfer, profitSharing, complaint, notify }`, each
 * checked now, an onPaid and an onNotify that call the event's hook or `on.notify`. An event
 * with neither is refused (HANDLER_FAILED) so that WeChat sends it again. findOrder may be
 * left out when no hook can receive a payment or a refund.
 */
export function routedOptions(opts) {
  // The callback timestamp window (v3 only: the contract refuses the name for v2), at creation.
  int(opts.maxSkewSeconds, 'maxSkewSeconds', undefined, 0, MAX_SKEW_CEILING);
  if (opts.on === undefined) return opts;
  for (const old of ['onPaid', 'onNotify']) {
    if (opts[old] !== undefined)
      throw bad(old, `left out when \`on\` is given (use on.${old === 'onPaid' ? 'paid' : 'notify'})`, opts[old]);
  }
  const { on, ...rest } = opts;
  if (on === null || typeof on !== 'object' || Array.isArray(on))
    throw bad('on', `an object of hooks { ${ROUTES.join(', ')} }`, on);
  for (const k of Object.keys(on)) {
    if (!ROUTES.includes(k))
      throw new WxPayError(
        'INVALID_PARAM',
        `createNotifyHandler: \`on.${k}\` is not an event hook (${ROUTES.join(', ')})`,
        { field: `on.${k}` },
      );
  }
  const hooks = {};
  for (const k of ROUTES) hooks[k] = fn(on[k], `on.${k}`, false);
  if (!ROUTES.some((k) => hooks[k])) throw bad('on', `at least one hook (${ROUTES.join(', ')})`, on);
  const orders = hooks.paid || hooks.refund || hooks.notify;
  return {
    ...rest,
    findOrder: rest.findOrder === undefined && !orders ? false : rest.findOrder,
    onPaid: (event) => dispatch(hooks, 'paid', event),
    onNotify: (event) => dispatch(hooks, eventRoute(event), event),
  };
}

/** Calls the route's hook, else on.notify; what goes wrong is thrown as the refusal's reason. */
async function dispatch(hooks, route, event) {
  const name = hooks[route] ? route : 'notify';
  const reason = (why) => Object.assign(new Error(why), { [HOOK]: why });
  if (!hooks[name]) throw reason(`no on.${route} or on.notify hook`);
  try {
    await hooks[name](event);
  } catch {
    throw reason(`on.${name} threw`);
  }
}
