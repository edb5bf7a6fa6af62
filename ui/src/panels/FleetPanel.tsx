/**
 * The fleet diagram with everything around it: the toolbar (layout, zoom, theme, export,
 * import, add), the selection bar (connect, cluster), the context menu, drawing a connection and
 * picking its type, the selected connection, the details (and editing) of the selected server,
 * the selected cluster's panel, and undo of the last delete. Edit controls are shown only for the
 * ACL flags that allow them.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CONNECTION_TYPES, SERVER_STATUSES } from '../../../agent/protocol/common.js';
import type { ConnectionType, Layout } from '../../../agent/protocol/types.js';
import { addToCluster, createCluster, createConnection, exportModel, getLayout, patchLayout } from '../api.js';
import { type Deleted, deleteConnection, deleteServers, setConnectionType } from '../edits.js';
import { IsoCanvas, type CanvasHandle } from '../canvas/IsoCanvas.js';
import { type Marks, mergeMarks } from '../canvas/marks.js';
import { THEMES, TYPE_LABEL, type Theme } from '../canvas/colors.js';
import type { Pt } from '../canvas/geometry.js';
import { blockLabels } from '../canvas/labels.js';
import { LAYOUTS, type LayoutKind, layout } from '../canvas/layouts.js';
import { type LiveInput, Scene, type SceneInput } from '../canvas/scene.js';
import { sceneSvg } from '../canvas/svg.js';
import { download } from '../download.js';
import { backendLines, useLbMarks } from '../lb-marks.js';
import { nodeText, useGaleraMarks } from '../galera-marks.js';
import { brickLines, glusterMarks, useGlusterViews } from '../gluster.js';
import { DASH, percent } from '../format.js';
import { memPercent } from '../sample.js';
import { type Model, connectionStatusOf, statusOf } from '../store.js';
import { ClusterPanel } from './ClusterPanel.js';
import { ConnectPopover } from './ConnectPopover.js';
import { ImportPanel } from './ImportPanel.js';
import { LinkPanel } from './LinkPanel.js';
import { ServerDetails } from './ServerDetails.js';
import { ServerForm } from './ServerForm.js';
import { StatusBadge } from './ServerList.js';
import { UndoToast } from './UndoToast.js';

const stored = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
  const v = localStorage.getItem(key);
  return (allowed as readonly string[]).includes(v ?? '') ? (v as T) : fallback;
};

export function FleetPanel({ base, model, theme, onTheme, selected, onSelected, marks, cluster, onCluster }: {
  base: string; model: Model; theme: Theme['name']; onTheme(t: Theme['name']): void;
  selected: ReadonlySet<string>; onSelected(s: ReadonlySet<string>): void;
  /** More marks to draw besides load balancing's (virtual servers on cluster floors). */
  marks?: Marks;
  /** The open cluster panel's cluster. */
  cluster: string | undefined; onCluster(name: string | undefined): void;
}) {
  const acl = model.user.acl;
  const [kind, setKind] = useState<LayoutKind>(() => stored('uc-layout', LAYOUTS, 'circular'));
  const [pinned, setPinned] = useState<Layout>({});
  const [menu, setMenu] = useState<{ id?: string; at: Pt }>();
  const [notice, setNotice] = useState<{ text: string; error?: boolean }>();
  const [form, setForm] = useState<'add' | 'import' | 'edit'>();
  const [link, setLink] = useState<string>();
  const [drawn, setDrawn] = useState<{ from: string; to: string; at: Pt }>();
  const [deleted, setDeleted] = useState<Deleted>();
  const [connType, setConnType] = useState<ConnectionType>('standard');
  const [clusterName, setClusterName] = useState('');
  const handle = useRef<CanvasHandle>({} as CanvasHandle);
  const lb = useLbMarks();
  const galera = useGaleraMarks();
  const gluster = useGlusterViews();
  const glusterList = useMemo(() => Object.values(gluster), [gluster]);
  const allMarks = useMemo(
    () => mergeMarks(lb.marks, marks, { blocks: galera.blocks, links: [], floors: galera.floors }, glusterMarks(glusterList)),
    [lb.marks, marks, galera.blocks, galera.floors, glusterList],
  );

  useEffect(() => { getLayout(base).then(setPinned, () => {}); }, [base]);
  useEffect(() => { localStorage.setItem('uc-layout', kind); }, [kind]);

  const input = useMemo<SceneInput>(() => {
    const servers = [...model.servers.values()];
    const labels = blockLabels(servers);
    const connections = [...model.connections.values()];
    const clusters = [...model.clusters.values()];
    const positions = layout(kind, { servers, connections, clusters, pinned });
    return { servers: servers.map((s) => ({ id: s.id, name: labels.get(s.id) ?? s.name, type: s.type })), positions, connections, clusters };
  }, [model.servers, model.connections, model.clusters, pinned, kind]);

  const live = useMemo<LiveInput>(() => ({
    status: (id) => statusOf(model, id),
    load: (id) => { const m = model.metrics.get(id); return m ? [m.cpu, memPercent(m)] : undefined; },
    link: (id) => connectionStatusOf(model, id).status,
  }), [model.status, model.metrics, model.connectionStatus]);

  const run = async (what: Promise<unknown>, ok: string) => {
    try { await what; setNotice({ text: ok }); } catch (e) { setNotice({ text: e instanceof Error ? e.message : String(e), error: true }); }
  };

  const select = (ids: string[], add: boolean) => {
    if (!add) { onSelected(new Set(ids)); return; }
    const next = new Set(selected);
    // Shift-click toggles one server; a lasso adds all it caught.
    if (ids.length === 1 && next.has(ids[0]!)) next.delete(ids[0]!); else for (const id of ids) next.add(id);
    onSelected(next);
  };

  const onMoved = (pos: Map<string, Pt>) => {
    const positions = Object.fromEntries(pos);
    const before = pinned;
    setPinned({ ...pinned, ...positions });
    patchLayout(base, positions).then(setPinned, (e: Error) => { setPinned(before); setNotice({ text: `Not moved: ${e.message}`, error: true }); });
  };

  /** A delete done: say so and offer to undo it. */
  const removed = (d: Deleted) => { setDeleted(d); setNotice(undefined); };
  const ids = [...selected];
  /** Connects the first selected server to each of the others. */
  const connect = (from: string, to: readonly string[]) => run(
    Promise.all(to.filter((t) => t !== from).map((t) => createConnection(base, { from, to: t, type: connType }))),
    `Connected ${from} to ${to.filter((t) => t !== from).join(', ')}.`,
  );
  const makeCluster = () => {
    const name = clusterName.trim();
    if (!name) { setNotice({ text: 'Name the cluster first.', error: true }); return; }
    void run(createCluster(base, { name, servers: ids }), `Created cluster ${name} with ${ids.length} servers.`).then(() => setClusterName(''));
  };
  const remove = (which: readonly string[]) => {
    if (!which.length || !confirm(`Remove ${which.length === 1 ? `server ${which[0]}` : `${which.length} servers`} with their connections?`)) return;
    deleteServers(base, which).then(removed, (e: Error) => setNotice({ text: e.message, error: true }));
    onSelected(new Set());
  };
  const removeLink = (id: string) => {
    setLink(undefined);
    deleteConnection(base, id).then(removed, (e: Error) => setNotice({ text: e.message, error: true }));
  };
  const pickLink = (id: string | undefined) => { setLink(id); if (id) { onSelected(new Set()); setMenu(undefined); } };

  const onKey = (e: KeyboardEvent) => {
    const h = handle.current;
    const keys: Record<string, () => void> = {
      '+': () => h.zoomBy(1.25), '=': () => h.zoomBy(1.25), '-': () => h.zoomBy(0.8), f: () => h.fit(), 0: () => h.fit(),
      ArrowLeft: () => h.panBy(60, 0), ArrowRight: () => h.panBy(-60, 0), ArrowUp: () => h.panBy(0, 60), ArrowDown: () => h.panBy(0, -60),
      Escape: () => { onSelected(new Set()); setMenu(undefined); setLink(undefined); },
      ...(link && acl.editConnections ? { Delete: () => removeLink(link) } : acl.editServers ? { Delete: () => remove(ids) } : {}),
    };
    const action = (e.ctrlKey || e.metaKey) && e.key === 'a' ? () => onSelected(new Set(model.servers.keys())) : keys[e.key];
    if (action) { e.preventDefault(); action(); }
  };

  const exportAs = async (what: 'png' | 'svg' | 'json') => {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    if (what === 'png') download(`fleet-${stamp}.png`, handle.current.png());
    else if (what === 'svg') {
      const s = new Scene(input);
      s.applyLive(live);
      download(`fleet-${stamp}.svg`, new Blob([sceneSvg(s, THEMES[theme])], { type: 'image/svg+xml' }));
    } else {
      try { download(`fleet-${stamp}.json`, new Blob([JSON.stringify(await exportModel(base), null, 2)], { type: 'application/json' })); } catch (e) { setNotice({ text: (e as Error).message, error: true }); }
    }
  };

  const tooltip = (target: { server: string } | { link: string }) => {
    if ('link' in target) {
      const c = model.connections.get(target.link);
      if (!c) return null;
      const l = connectionStatusOf(model, c.id);
      // A load balancer's view of the server at the other end, whichever way the line was drawn.
      const backend = [...backendLines(lb.statuses, c.to, c.from), ...backendLines(lb.statuses, c.from, c.to)];
      return (<>
        <b>{c.from} → {c.to}</b><div data-testid="tooltip-link">{c.type} · {l.status}{l.latencyMs === null ? '' : ` · ${l.latencyMs.toFixed(1)} ms`}</div>
        {backend.map((line) => <div data-testid="tooltip-backend">{line}</div>)}
      </>);
    }
    const id = target.server;
    const s = model.servers.get(id);
    const m = model.metrics.get(id);
    if (!s) return null;
    return (<>
      <b>{s.name}</b> <StatusBadge status={statusOf(model, id)} />
      <div>{TYPE_LABEL[s.type]} · {s.address}{s.region ? ` · ${s.region}` : ''}</div>
      <div data-testid="tooltip-metrics">CPU {m ? percent(m.cpu) : DASH} · Memory {m ? percent(memPercent(m)) : DASH}</div>
      {backendLines(lb.statuses, id).map((line) => <div data-testid="tooltip-backend">{line}</div>)}
      {galera.statuses.flatMap((g) => g.nodes.filter((n) => n.serverId === id).map((n) => <div data-testid="tooltip-galera">Galera {g.cluster}: {nodeText(n.status, n.stale)} · HAProxy {n.backend}</div>))}
      {brickLines(glusterList, id).map((line) => <div data-testid="tooltip-brick">{line}</div>)}
    </>);
  };

  const counts = SERVER_STATUSES.map((s) => [s, [...model.servers.keys()].filter((id) => statusOf(model, id) === s).length] as const);
  const clusters = [...model.clusters.keys()].sort();
  const single = ids.length === 1 ? ids[0] : undefined;

  return (<>
    <section class="uc-card" aria-labelledby="uc-fleet-title">
      <div class="uc-card-head">
        <h2 id="uc-fleet-title">Fleet</h2>
        <ul class="uc-legend" aria-label="Servers by status">
          {counts.map(([s, n]) => <li key={s} data-status={s}><StatusBadge status={s} /> <b>{n}</b></li>)}
        </ul>
      </div>
      <div class="uc-toolbar" role="toolbar" aria-label="Diagram">
        <label>Layout <select data-testid="layout-select" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as LayoutKind)}>
          {LAYOUTS.map((l) => <option key={l} value={l}>{l === 'force' ? 'force-directed' : l === 'region' ? 'by region' : l === 'cluster' ? 'by cluster' : l}</option>)}
        </select></label>
        <button type="button" class="uc-secondary" data-testid="zoom-in" aria-label="Zoom in" onClick={() => handle.current.zoomBy(1.25)}>+</button>
        <button type="button" class="uc-secondary" data-testid="zoom-out" aria-label="Zoom out" onClick={() => handle.current.zoomBy(0.8)}>−</button>
        <button type="button" class="uc-secondary" data-testid="fit" onClick={() => handle.current.fit()}>Fit</button>
        <button type="button" class="uc-secondary" data-testid="theme" onClick={() => onTheme(theme === 'dark' ? 'light' : 'dark')}>{theme === 'dark' ? 'Light' : 'Dark'} theme</button>
        <span class="uc-spacer" />
        <button type="button" class="uc-secondary" data-testid="export-png" onClick={() => exportAs('png')}>PNG</button>
        <button type="button" class="uc-secondary" data-testid="export-svg" onClick={() => exportAs('svg')}>SVG</button>
        {acl.exportImport && <button type="button" class="uc-secondary" data-testid="export-json" onClick={() => exportAs('json')}>Export JSON</button>}
        {acl.exportImport && acl.scope === '*' && <button type="button" class="uc-secondary" data-testid="import-open" onClick={() => setForm('import')}>Import JSON</button>}
        {acl.editServers && acl.scope === '*' && <button type="button" class="uc-primary" data-testid="add-open" onClick={() => setForm('add')}>Add server</button>}
      </div>
      <div class="uc-canvas-wrap" data-theme={theme} onClick={() => setMenu(undefined)}>
        <IsoCanvas input={input} live={live} liveKey={live} selected={selected} theme={theme} marks={allMarks} canEdit={acl.editServers}
          canConnect={acl.editConnections} selectedLink={link} fitKey={kind}
          onSelect={(ids, add) => { if (ids.length) setLink(undefined); select(ids, add); }} onMoved={onMoved} onKey={onKey} tooltip={tooltip} handle={handle}
          onDrawn={(from, to, at) => setDrawn({ from, to, at })} onSelectLink={pickLink} onSelectCluster={(name) => onCluster(name)}
          onContext={(id, at) => { if (id && !selected.has(id)) onSelected(new Set([id])); setMenu({ id, at }); }} />
        {!model.servers.size && <p class="uc-empty uc-canvas-empty">No servers yet.</p>}
        {ids.length > 0 && (
          <div class="uc-selbar" data-testid="selection-bar">
            <span><b data-testid="selection-count">{ids.length}</b> selected</span>
            {acl.editConnections && ids.length >= 2 && <>
              <select data-testid="connect-type" aria-label="Connection type" value={connType} onChange={(e) => setConnType((e.target as HTMLSelectElement).value as ConnectionType)}>
                {CONNECTION_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
              </select>
              <button type="button" class="uc-secondary" data-testid="connect" onClick={() => connect(ids[0]!, ids.slice(1))}>Connect {ids[0]} to the others</button>
            </>}
            {acl.editClusters && acl.scope === '*' && <>
              <input data-testid="cluster-name" aria-label="New cluster name" placeholder="cluster name" value={clusterName} onInput={(e) => setClusterName((e.target as HTMLInputElement).value)} />
              <button type="button" class="uc-secondary" data-testid="make-cluster" onClick={makeCluster}>Create cluster</button>
            </>}
            <button type="button" class="uc-ghost-dark" onClick={() => onSelected(new Set())}>Clear</button>
          </div>
        )}
        {notice && !deleted && <p class={notice.error ? 'uc-error uc-notice' : 'uc-ok uc-notice'} role="status" data-testid="notice">{notice.text}</p>}
        {deleted && <UndoToast base={base} deleted={deleted} onClose={() => setDeleted(undefined)} onResult={(text, error) => setNotice({ text, error })} />}
        {drawn && (
          <ConnectPopover from={drawn.from} to={drawn.to} at={drawn.at} onCancel={() => setDrawn(undefined)}
            onPick={(type) => { setDrawn(undefined); void run(createConnection(base, { from: drawn.from, to: drawn.to, type }), `Connected ${drawn.from} to ${drawn.to} (${type}).`); }} />
        )}
        {link && <LinkPanel model={model} id={link} onClose={() => setLink(undefined)} onDelete={() => removeLink(link)}
          onType={(t) => void run(setConnectionType(base, link, t), `${link.replace(':', ' → ')} is now ${t}.`)} />}
        {menu && (
          <ul class="uc-menu" role="menu" data-testid="context-menu" style={{ left: `${menu.at.x}px`, top: `${menu.at.y}px` }} onClick={(e) => { e.stopPropagation(); setMenu(undefined); }}>
            {menu.id && <li role="menuitem" data-action="details" onClick={() => onSelected(new Set([menu.id!]))}>Details</li>}
            {menu.id && acl.editServers && <li role="menuitem" data-action="edit" onClick={() => { onSelected(new Set([menu.id!])); setForm('edit'); }}>Edit…</li>}
            {menu.id && acl.editConnections && ids.length >= 1 && ids.some((x) => x !== menu.id) && (
              <li role="menuitem" data-action="connect" onClick={() => connect(menu.id!, ids)}>Connect to the selected ({connType})</li>)}
            {menu.id && acl.editClusters && clusters.map((c) => (
              <li key={c} role="menuitem" data-action={`cluster:${c}`} onClick={() => run(addToCluster(base, c, ids.length ? ids : [menu.id!]), `Added to ${c}.`)}>Add to cluster {c}</li>))}
            {menu.id && acl.editServers && <li role="menuitem" data-action="remove" class="uc-danger" onClick={() => remove(ids.length ? ids : [menu.id!])}>Remove…</li>}
            <li role="menuitem" data-action="fit" onClick={() => handle.current.fit()}>Fit to view</li>
          </ul>
        )}
      </div>
      <p class="uc-hint">Wheel zooms, drag pans{acl.editServers ? ', drag a server to move it' : ''}{acl.editConnections ? ", drag from a server's + handle (or Alt-drag) to another to connect them" : ''}; click a server, a line or a cluster's name to select it, shift-click or shift-drag selects several; right-click for more. Keys: + − zoom, arrows pan, F fits, Esc clears{acl.editServers || acl.editConnections ? ', Delete removes' : ''}.</p>
    </section>
    {form === 'add' && <ServerForm base={base} taken={(id) => model.servers.has(id)} onDone={(id) => { setForm(undefined); if (id) { setNotice({ text: `Added server ${id}.` }); onSelected(new Set([id])); } }} />}
    {form === 'edit' && single && model.servers.get(single) && (
      <ServerForm key={single} base={base} server={model.servers.get(single)} taken={() => false} onDone={(id) => { setForm(undefined); if (id) setNotice({ text: `Saved server ${id}.` }); }} />
    )}
    {form === 'import' && <ImportPanel base={base} model={model} onDone={(msg) => { setForm(undefined); if (msg) setNotice({ text: msg }); }} />}
    {single && <ServerDetails base={base} model={model} id={single} onEdit={acl.editServers ? () => setForm('edit') : undefined} />}
    {cluster && model.clusters.has(cluster) && (
      <ClusterPanel base={base} model={model} name={cluster} onClose={() => onCluster(undefined)} onRenamed={(to) => onCluster(to)}
        onDeleted={(d) => { removed(d); onCluster(undefined); }} />
    )}
  </>);
}
