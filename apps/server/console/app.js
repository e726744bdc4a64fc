// The operator console: one page over Stratus's own read endpoints, so it shows exactly what the
// caller may read (the same permission filtering as every API call). The server pushes a `change`
// event over server-sent events when tasks or agent runs change; the page then re-reads.
import { h, render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';

const html = htm.bind(h);
const HISTORY = 20;

async function getJson(path) {
  const answer = await fetch(path, { headers: { accept: 'application/json' } });
  if (!answer.ok) throw new Error(`${path}: HTTP ${answer.status}`);
  return answer.json();
}

const ago = (ms) => {
  if (!ms) return 'never';
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.round(s / 60)}m ago` : `${Math.round(s / 3600)}h ago`;
};

/** The account an agent belongs to: its id starts with `<account>/` for account agents. */
const accountOf = (agentId) => (agentId.includes('/') ? agentId.split('/')[0] : undefined);

function Sparkline({ values }) {
  if (!values || values.length < 2) return html`<span class="muted">—</span>`;
  const max = Math.max(...values, 1);
  const points = values.map((v, i) => `${(i / (values.length - 1)) * 80},${18 - (v / max) * 16}`).join(' ');
  return html`<svg class="spark" width="80" height="20"><polyline fill="none" stroke="#3b6fd8" stroke-width="1.5" points=${points} /></svg>`;
}

async function loadSnapshot(seenTasks) {
  const [info, readiness, credentials, agents, running] = await Promise.all([
    getJson('/'),
    fetch('/health/readiness').then((r) => r.json()),
    getJson('/credentials'),
    getJson('/cache/introspection'),
    getJson('/task'),
  ]);
  // Tasks stay listed after they finish: the page keeps the ids it saw running and reads each once more.
  for (const task of running) seenTasks.add(task.id);
  const tasks = await Promise.all([...seenTasks].slice(-30).map((id) => getJson(`/task/${encodeURIComponent(id)}`).catch(() => undefined)));
  const providers = [...new Set(credentials.map((account) => account.cloudProvider ?? account.type))];
  const onDemand = (await Promise.all(providers.map((provider) => getJson(`/cache/${provider}/serverGroup`).catch(() => [])))).flat();
  return { info, readiness, credentials, agents, tasks: tasks.filter(Boolean).reverse(), onDemand };
}

function App() {
  const [snapshot, setSnapshot] = useState();
  const [failure, setFailure] = useState();
  const [live, setLive] = useState(false);
  const durations = useRef(new Map());
  const seenTasks = useRef(new Set());

  const refresh = () =>
    loadSnapshot(seenTasks.current)
      .then((next) => {
        for (const agent of next.agents) {
          const list = durations.current.get(agent.id) ?? [];
          if (agent.lastExecutionStartMs && list.at(-1)?.start !== agent.lastExecutionStartMs) {
            list.push({ start: agent.lastExecutionStartMs, ms: agent.lastExecutionDurationMs ?? 0 });
          }
          durations.current.set(agent.id, list.slice(-HISTORY));
        }
        setSnapshot(next);
        setFailure(undefined);
      })
      .catch((error) => setFailure(String(error.message ?? error)));

  useEffect(() => {
    refresh();
    const events = new EventSource('/console/events');
    events.addEventListener('change', () => refresh());
    events.onopen = () => setLive(true);
    events.onerror = () => setLive(false);
    return () => events.close();
  }, []);

  if (!snapshot) return html`<p class="muted" style="padding:20px">${failure ?? 'Loading…'}</p>`;
  const { info, readiness, credentials, agents, tasks, onDemand } = snapshot;
  const problems = readiness.components?.accounts?.details?.problems ?? [];
  const agentErrors = (account) => agents.filter((agent) => accountOf(agent.id) === account && agent.lastError);
  const cacheSizes = new Map();
  for (const agent of agents) {
    for (const [type, count] of Object.entries(agent.details ?? {})) {
      if (typeof count !== 'number' || type.startsWith('onDemand') || type.startsWith('evicted')) continue;
      const key = `${agent.provider}\u0000${type}`;
      cacheSizes.set(key, (cacheSizes.get(key) ?? 0) + count);
    }
  }

  return html` <header>
      <h1>Stratus</h1>
      ${info.demo ? html`<span class="badge demo" data-testid="demo-badge">DEMO</span>` : null}
      <span class="muted">${info.nodeId ?? ''}</span>
      <span class="spacer"></span>
      <span class=${`badge ${readiness.status === 'UP' ? 'ok' : 'bad'}`}>readiness ${readiness.status}</span>
      <span class=${`badge ${live ? 'ok' : ''}`} data-testid="live">${live ? 'live' : 'offline'}</span>
    </header>
    ${failure ? html`<p class="error" style="padding:0 20px">${failure}</p>` : null}
    <div class="grid">
      <section data-testid="accounts">
        <h2>Accounts (${credentials.length})</h2>
        <table>
          <tr>
            <th>name</th>
            <th>provider</th>
            <th>environment</th>
            <th>health</th>
          </tr>
          ${credentials.map((account) => {
            const errors = agentErrors(account.name);
            return html`<tr>
              <td>${account.name}</td>
              <td>${account.cloudProvider ?? account.type}</td>
              <td>${account.environment ?? ''}</td>
              <td>
                ${errors.length === 0 ? html`<span class="badge ok">ok</span>` : html`<span class="badge bad" title=${errors.map((e) => `${e.id}: ${e.lastError}`).join('\n')}>${errors.length} failing</span>`}
              </td>
            </tr>`;
          })}
          ${problems.map(
            (problem) =>
              html`<tr>
                <td>${problem.name}</td>
                <td>${problem.cloudProvider}</td>
                <td></td>
                <td class="error">not loaded: ${problem.error}</td>
              </tr>`,
          )}
        </table>
      </section>
      <section data-testid="cache">
        <h2>Cache (items per provider and type, from the last runs)</h2>
        <table>
          <tr>
            <th>provider</th>
            <th>type</th>
            <th class="num">items</th>
          </tr>
          ${[...cacheSizes.entries()].sort().map(([key, count]) => {
            const [provider, type] = key.split('\u0000');
            return html`<tr>
              <td>${provider}</td>
              <td>${type}</td>
              <td class="num">${count}</td>
            </tr>`;
          })}
        </table>
      </section>
      <section class="wide" data-testid="tasks">
        <h2>Tasks</h2>
        ${tasks.length === 0 ? html`<p class="muted">No task seen since this page opened.</p>` : null}
        <table>
          ${
            tasks.length > 0
              ? html`<tr>
                  <th>id</th>
                  <th>status</th>
                  <th>last step</th>
                  <th>started</th>
                </tr>`
              : null
          }
          ${tasks.map((task) => {
            const status = task.status ?? {};
            const state = status.failed ? 'FAILED' : status.completed ? 'SUCCEEDED' : 'RUNNING';
            const last = (task.history ?? []).at(-1);
            return html`<tr data-task=${task.id} data-state=${state}>
              <td><code>${task.id}</code></td>
              <td><span class=${`badge ${state === 'FAILED' ? 'bad' : state === 'SUCCEEDED' ? 'ok' : ''}`}>${state}</span></td>
              <td>
                <details>
                  <summary>${last ? `${last.phase}: ${last.status}` : ''}</summary>
                  ${(task.history ?? []).map((line) => html`<div><code>${line.phase}</code> ${line.status}</div>`)}
                </details>
              </td>
              <td>${ago(task.startTimeMs)}</td>
            </tr>`;
          })}
        </table>
      </section>
      <section class="wide" data-testid="agents">
        <h2>Agents (${agents.length})</h2>
        <table>
          <tr>
            <th>agent</th>
            <th>provider</th>
            <th>last run</th>
            <th class="num">duration</th>
            <th>trend</th>
            <th>last error</th>
          </tr>
          ${agents.map(
            (agent) =>
              html`<tr>
                <td><code>${agent.id}</code></td>
                <td>${agent.provider}</td>
                <td>${ago(agent.lastExecutionStartMs)}</td>
                <td class="num">${agent.lastExecutionDurationMs ?? '—'} ms</td>
                <td><${Sparkline} values=${(durations.current.get(agent.id) ?? []).map((run) => run.ms)} /></td>
                <td class="error">${agent.lastError ?? ''}</td>
              </tr>`,
          )}
        </table>
      </section>
      <section data-testid="on-demand">
        <h2>On-demand queue (${onDemand.length})</h2>
        ${onDemand.length === 0 ? html`<p class="muted">Nothing pending.</p>` : null}
        <table>
          ${onDemand.map(
            (record) =>
              html`<tr>
                <td><code>${record.id ?? ''}</code></td>
                <td>${ago(record.cacheTime)}</td>
              </tr>`,
          )}
        </table>
      </section>
    </div>`;
}

render(html`<${App} />`, document.getElementById('root'));
