/** The signed-in app: header, link banner, the isometric view, the server list, alerts and adding nodes, all live. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Endpoints, Me } from './api.js';
import { type LinkState, connectLive } from './live.js';
import { AlertsPanel } from './panels/AlertsPanel.js';
import { AlertRulesPanel } from './panels/AlertRulesPanel.js';
import { AuditPanel } from './panels/AuditPanel.js';
import './panels/panels.css';
import { Banner } from './panels/Banner.js';
import { FleetPanel } from './panels/FleetPanel.js';
import { Header } from './panels/Header.js';
import { JoinTokensPanel } from './panels/JoinTokensPanel.js';
import { ModelLists } from './panels/ModelLists.js';
import { PlanPanel } from './panels/PlanPanel.js';
import { publishLbStatus, publishPlan } from './plans.js';
import { publishOperation } from './operations.js';
import { publishScaling } from './scaling.js';
import { ScalingPanel } from './panels/ScalingPanel.js';
import { SchedulesPanel } from './panels/SchedulesPanel.js';
import { publishGaleraStatus } from './galera.js';
import { GaleraPanel } from './panels/GaleraPanel.js';
import { publishGluster } from './gluster.js';
import { GlusterPanel } from './panels/GlusterPanel.js';
import { ServerList } from './panels/ServerList.js';
import { VirtualServersPanel } from './panels/VirtualServersPanel.js';
import { byCluster, floorMarks } from './virtual-servers.js';
import type { Theme } from './canvas/colors.js';
import type { Model } from './store.js';
import { throttle } from './throttle.js';

/** Deltas come up to 4 a second per the contract; never rerender faster than that regardless. */
const RENDER_EVERY_MS = 250;

export function Dashboard({ endpoints, me, onLogout, onLoggedOut }: { endpoints: Endpoints; me: Me; onLogout?: () => void; onLoggedOut(): void }) {
  const { base } = endpoints;
  const [model, setModel] = useState<Model>();
  const [link, setLink] = useState<LinkState>({ kind: 'connecting' });
  const [theme, setTheme] = useState<Theme['name']>(() => (localStorage.getItem('uc-theme') === 'dark' ? 'dark' : 'light'));
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [vsFocus, setVsFocus] = useState<string>();
  const [cluster, setCluster] = useState<string>();
  useEffect(() => { localStorage.setItem('uc-theme', theme); }, [theme]);

  useEffect(() => {
    const show = throttle(setModel, RENDER_EVERY_MS);
    const close = connectLive({
      endpoints, onModel: show, onState: setLink, onLoggedOut,
      onPlan: publishPlan, onLbStatus: publishLbStatus, onOperation: publishOperation, onScaling: publishScaling,
      onGaleraStatus: publishGaleraStatus, onGluster: publishGluster,
    });
    return () => { close(); show.cancel(); };
  }, [endpoints]);

  const vs = model?.virtualServers;
  const vsMarks = useMemo(() => vs && floorMarks(byCluster(vs.values()), vsFocus ? vs.get(vsFocus) : undefined), [vs, vsFocus]);

  return (
    <div class="uc-app" data-theme={theme}>
      <Header user={model?.user.name ?? me.name} link={link.kind} onLogout={onLogout} />
      <Banner link={link} />
      <main class={link.kind === 'lost' ? 'uc-main uc-stale' : 'uc-main'}>
        {model
          ? <>
            <FleetPanel base={base} model={model} theme={theme} onTheme={setTheme} selected={selected} onSelected={setSelected} marks={vsMarks} cluster={cluster} onCluster={setCluster} />
            <ServerList model={model} selected={selected} onSelected={setSelected} />
            {model.virtualServers.size > 0 && <VirtualServersPanel model={model} focus={vsFocus} onFocus={setVsFocus} onSelected={setSelected} />}
            <ModelLists model={model} onCluster={(name) => { setCluster(name); setTimeout(() => document.querySelector('[data-testid=cluster-panel]')?.scrollIntoView({ block: 'nearest' }), 0); }} />
            <AlertsPanel model={model} />
            <AlertRulesPanel base={base} model={model} />
            <AuditPanel base={base} model={model} />
            {/* Only for the "enroll agents" permission; the hub refuses everyone else anyway. */}
            {model.user.acl.enroll && <JoinTokensPanel base={base} model={model} />}
            {model.user.acl.apply && <PlanPanel base={base} model={model} />}
            {model.user.acl.scale && model.clusters.size > 0 && <ScalingPanel base={base} model={model} />}
            <SchedulesPanel base={base} model={model} />
            <GaleraPanel base={base} model={model} />
            <GlusterPanel base={base} model={model} />
          </>
          : link.kind !== 'denied' && <p class="uc-loading" data-testid="loading">Connecting to the hub…</p>}
      </main>
    </div>
  );
}
