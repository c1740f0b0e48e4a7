// The check list both verification tabs show (v2 notifications in app.js, v3 callbacks in
// v3.js): one <li> per check, in order, with its state (pass | fail | skip) as class and data
// attributes, the translated mark and name, and the reason under it when there is one.

/**
 * Fills `list` (a <ul>) with `checks` (ids, in order); `results` maps each id to
 * [state, detail]; `t` translates an id or a state into the page's language.
 */
export function renderChecks(list, checks, results, t) {
  list.replaceChildren();
  for (const c of checks) {
    const [state, detail] = results.get(c);
    const li = document.createElement('li');
    li.className = state;
    li.dataset.check = c;
    li.dataset.state = state;
    const mark = document.createElement('span');
    mark.className = 'mark';
    mark.textContent = t(state);
    const text = document.createElement('span');
    text.textContent = t(c);
    if (detail) {
      const d = document.createElement('div');
      d.className = 'detail';
      d.textContent = detail;
      text.append(d);
    }
    li.append(mark, text);
    list.append(li);
  }
}
