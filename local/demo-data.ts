/**
 * Demo cases for the local cloud: about thirty reports across the thirteen districts and the SOP categories,
 * logged by the demo agents through the real API (so each starts its workflow), then moved along by the demo
 * department staff with the same API actions a person would use: acknowledged, progressed, resolved, returned,
 * cancelled, merged.
 *
 * Seeded once per data folder: a marker item records that it is done. Every case is created with an
 * Idempotency-Key, so a start that was interrupted half way simply runs again without duplicating anything.
 * Names, phone numbers and e-mail addresses are invented (example.org, 0912-000-xxx style numbers).
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { now } from '../functions/domain/clock';

/** Local-only bookkeeping item; it has no GSI keys, so no query ever returns it. */
export const DEMO_MARKER_KEY = { pk: 'LOCAL#DEMO-DATA', sk: 'LOCAL#DEMO-DATA' } as const;

type Agent = 'agent1' | 'agent2';

export type DemoStep =
  | { action: 'acknowledge' }
  | { action: 'progress'; text: string }
  | { action: 'resolve'; resolution: string }
  | { action: 'return'; reason: string }
  | { action: 'cancel'; reason: string }
  | { action: 'merge'; into: string }
  | { action: 'note'; text: string };

export interface DemoCase {
  /** Stable id: the Idempotency-Key suffix and what `merge` refers to. */
  key: string;
  by: Agent;
  body: {
    category: string;
    description: string;
    location: { district: string; address: string; lat?: number; lng?: number };
    reporter: { name?: string; phone?: string; email?: string; anonymous?: boolean; notify: 'sms' | 'email' | 'none' };
    channel: 'phone' | 'web' | 'walk-in' | 'line' | 'open311';
    priorityOverride?: 'normal' | 'urgent';
    attributes?: Record<string, string | number | boolean | string[]>;
  };
  steps?: DemoStep[];
}

const sms = (name: string, phone: string) => ({ name, phone, notify: 'sms' as const });
const mail = (name: string, email: string) => ({ name, email, notify: 'email' as const });
const quiet = (name: string, phone: string) => ({ name, phone, notify: 'none' as const });
const anonymous = { anonymous: true, notify: 'none' as const };

const ACK: DemoStep = { action: 'acknowledge' };

export const DEMO_CASES: readonly DemoCase[] = [
  // Waiting for the department to acknowledge.
  { key: 'light-zhongli', by: 'agent1', body: { category: 'street-light', description: '中央西路二段 30 號前路燈整晚不亮，路口很暗，機車族看不到行人。', location: { district: 'zhongli', address: '中壢區中央西路二段 30 號前', lat: 24.9536, lng: 121.2218 }, reporter: sms('林美惠', '0912-000-101'), channel: 'phone', attributes: { poleNumber: '中壢 0231', lightState: 'dark' } } },
  { key: 'pothole-taoyuan', by: 'agent2', body: { category: 'pothole', description: '中正路與民生路口有一個大坑洞，下雨積水看不出來，已有機車滑倒。', location: { district: 'taoyuan', address: '桃園區中正路與民生路口', lat: 24.9937, lng: 121.3009 }, reporter: sms('陳志明', '0912-000-102'), channel: 'phone', attributes: { size: 'large', dangerous: 'yes' } } },
  { key: 'signal-bade', by: 'agent1', body: { category: 'traffic-signal', description: '介壽路一段與建國路口號誌全暗，車流很亂，需要派員處理。', location: { district: 'bade', address: '八德區介壽路一段與建國路口', lat: 24.9287, lng: 121.2847 }, reporter: quiet('黃建國', '03-365-0001'), channel: 'phone', attributes: { signalState: 'dark' } } },
  { key: 'parking-luzhu', by: 'agent2', body: { category: 'illegal-parking', description: '南崁路一段有貨車長時間併排停車，擋住公車停靠。', location: { district: 'luzhu', address: '蘆竹區南崁路一段 100 號前', lat: 25.0447, lng: 121.2925 }, reporter: anonymous, channel: 'line', attributes: { vehicleType: 'truck' } } },
  { key: 'dog-yangmei', by: 'agent1', body: { category: 'stray-animal', description: '楊梅火車站前有一隻黑色流浪犬後腳受傷，一直在路邊徘徊。', location: { district: 'yangmei', address: '楊梅區大成路 1 號 (楊梅車站前)', lat: 24.9135, lng: 121.1453 }, reporter: mail('吳雅婷', 'ya-ting.wu@example.org'), channel: 'phone', attributes: { animal: 'dog', injured: 'yes', count: 1 } } },
  { key: 'noise-guishan', by: 'agent2', body: { category: 'noise', description: '文化一路工地晚上十點後仍在施工，打樁聲很大。', location: { district: 'guishan', address: '龜山區文化一路 250 號旁工地', lat: 25.0333, lng: 121.3897 }, reporter: sms('張家豪', '0912-000-103'), channel: 'phone', attributes: { source: 'construction', timeOfDay: 'night' } } },
  { key: 'drain-guanyin', by: 'agent1', body: { category: 'blocked-drain', description: '中山路側溝被落葉和垃圾塞住，大雨時路面淹水。', location: { district: 'guanyin', address: '觀音區中山路二段 800 號前', lat: 25.0335, lng: 121.0817 }, reporter: quiet('李淑芬', '03-473-0002'), channel: 'phone', attributes: { flooding: 'yes' } } },
  { key: 'tree-fuxing', by: 'agent2', body: { category: 'fallen-tree', description: '台 7 線羅浮路段有路樹倒在車道上，擋住一半路面。', location: { district: 'fuxing', address: '復興區台 7 線 羅浮橋附近', lat: 24.8127, lng: 121.3693 }, reporter: sms('高志偉', '0912-000-104'), channel: 'phone', attributes: { blockingRoad: 'partial' } } },
  { key: 'litter-dayuan', by: 'agent1', body: { category: 'litter', description: '中正東路空地有人丟棄大型家具和廢床墊，堆了一週。', location: { district: 'dayuan', address: '大園區中正東路 300 號旁空地', lat: 25.0647, lng: 121.2003 }, reporter: anonymous, channel: 'web', attributes: { wasteType: 'bulky' } } },
  { key: 'bus-pingzhen', by: 'agent2', body: { category: 'bus-service', description: '5005 路公車在環南路站過站不停，等了四十分鐘。', location: { district: 'pingzhen', address: '平鎮區環南路 (環南路站)', lat: 24.9446, lng: 121.2167 }, reporter: mail('周怡君', 'yi-jun.chou@example.org'), channel: 'phone', attributes: { routeNo: '5005', issue: 'skipped-stop' } } },

  // Acknowledged, some with progress.
  { key: 'light-longtan', by: 'agent1', body: { category: 'street-light', description: '中正路三段路燈白天一直亮著。', location: { district: 'longtan', address: '龍潭區中正路三段 150 號前', lat: 24.8636, lng: 121.2117 }, reporter: quiet('蔡宗翰', '03-479-0003'), channel: 'phone', attributes: { lightState: 'on-by-day' } }, steps: [ACK] },
  { key: 'pothole-zhongli', by: 'agent2', body: { category: 'pothole', description: '環北路人行道旁路面凹陷，輪椅經過很危險。', location: { district: 'zhongli', address: '中壢區環北路 400 號前', lat: 24.9676, lng: 121.2253 }, reporter: sms('鄭雅文', '0912-000-105'), channel: 'phone', attributes: { size: 'medium', dangerous: 'no' } }, steps: [ACK, { action: 'progress', text: '已派工程隊現場勘查，預計三日內完成修補。' }] },
  { key: 'arcade-taoyuan', by: 'agent1', body: { category: 'arcade-obstruction', description: '復興路騎樓被店家堆放貨物，行人只能走到車道上。', location: { district: 'taoyuan', address: '桃園區復興路 120 號騎樓', lat: 24.9905, lng: 121.3119 }, reporter: sms('許文雄', '0912-000-106'), channel: 'phone', attributes: { obstructionType: 'goods' } }, steps: [ACK] },
  { key: 'noise-zhongli', by: 'agent2', body: { category: 'noise', description: '新生路 KTV 凌晨仍有很大的音樂聲。', location: { district: 'zhongli', address: '中壢區新生路 200 號', lat: 24.9601, lng: 121.2244 }, reporter: anonymous, channel: 'phone', attributes: { source: 'business', timeOfDay: 'night' } }, steps: [ACK, { action: 'progress', text: '稽查人員已排定夜間噪音量測。' }] },
  { key: 'construction-bade', by: 'agent1', body: { category: 'illegal-construction', description: '和平路住宅頂樓正在加蓋鐵皮屋。', location: { district: 'bade', address: '八德區和平路 80 巷 5 號', lat: 24.9421, lng: 121.2935 }, reporter: mail('林俊傑', 'jun-jie.lin@example.org'), channel: 'web', attributes: { stage: 'under-construction' } }, steps: [ACK] },
  { key: 'drain-xinwu', by: 'agent2', body: { category: 'blocked-drain', description: '中山路排水溝蓋破損，水溝堵塞發出臭味。', location: { district: 'xinwu', address: '新屋區中山路 300 號前', lat: 24.9722, lng: 121.1056 }, reporter: quiet('彭玉珍', '03-477-0004'), channel: 'phone', attributes: { flooding: 'no' } }, steps: [ACK] },
  { key: 'dog-daxi', by: 'agent1', body: { category: 'stray-animal', description: '大溪老街附近有三隻流浪犬追逐遊客。', location: { district: 'daxi', address: '大溪區和平路 (大溪老街)', lat: 24.8838, lng: 121.2868 }, reporter: sms('簡志豪', '0912-000-107'), channel: 'phone', attributes: { animal: 'dog', injured: 'no', count: 3 } }, steps: [ACK] },
  { key: 'signal-taoyuan', by: 'agent2', body: { category: 'traffic-signal', description: '經國路與大興西路口行人號誌卡在紅燈。', location: { district: 'taoyuan', address: '桃園區經國路與大興西路口', lat: 25.0157, lng: 121.2985 }, reporter: sms('賴怡伶', '0912-000-108'), channel: 'phone', attributes: { signalState: 'stuck' } }, steps: [ACK, { action: 'progress', text: '已通知號誌維護廠商到場檢修。' }] },

  // Resolved: the workflow now waits to follow up with the citizen.
  { key: 'light-pingzhen', by: 'agent1', body: { category: 'street-light', description: '延平路路燈閃爍不停。', location: { district: 'pingzhen', address: '平鎮區延平路二段 50 號前', lat: 24.9278, lng: 121.2201 }, reporter: sms('劉建宏', '0912-000-109'), channel: 'phone', attributes: { lightState: 'flickering' } }, steps: [ACK, { action: 'resolve', resolution: '已更換燈具，經測試恢復正常。' }] },
  { key: 'litter-taoyuan', by: 'agent2', body: { category: 'litter', description: '桃園火車站後站巷口垃圾堆積。', location: { district: 'taoyuan', address: '桃園區延平路 (後站巷口)', lat: 24.9886, lng: 121.3139 }, reporter: anonymous, channel: 'phone', attributes: { wasteType: 'household' } }, steps: [ACK, { action: 'resolve', resolution: '清潔隊已清除並加強巡查。' }] },
  { key: 'pothole-luzhu', by: 'agent1', body: { category: 'pothole', description: '南崁路二段施工後路面不平。', location: { district: 'luzhu', address: '蘆竹區南崁路二段 20 號前', lat: 25.0502, lng: 121.2847 }, reporter: mail('王冠宇', 'guan-yu.wang@example.org'), channel: 'web', attributes: { size: 'small', dangerous: 'no' } }, steps: [ACK, { action: 'resolve', resolution: '已要求施工單位重新鋪設並完成驗收。' }] },
  { key: 'parking-zhongli', by: 'agent2', body: { category: 'illegal-parking', description: '中壢火車站前機車停在消防通道。', location: { district: 'zhongli', address: '中壢區中和路 139 號前 (中壢車站)', lat: 24.9537, lng: 121.2256 }, reporter: sms('江佩珊', '0912-000-110'), channel: 'phone', attributes: { vehicleType: 'scooter' } }, steps: [ACK, { action: 'resolve', resolution: '警員到場開單並移置車輛。' }] },
  { key: 'noise-longtan', by: 'agent1', body: { category: 'noise', description: '社區廟會擴音器音量過大。', location: { district: 'longtan', address: '龍潭區神龍路 (龍元宮前)', lat: 24.8665, lng: 121.2155 }, reporter: quiet('邱素貞', '03-489-0005'), channel: 'phone', attributes: { source: 'event', timeOfDay: 'evening' } }, steps: [ACK, { action: 'progress', text: '已與主辦單位溝通降低音量。' }, { action: 'resolve', resolution: '現場量測已低於管制標準。' }] },
  { key: 'tree-guishan', by: 'agent2', body: { category: 'fallen-tree', description: '萬壽路行道樹斷枝掛在電線上。', location: { district: 'guishan', address: '龜山區萬壽路二段 900 號前', lat: 25.0131, lng: 121.3505 }, reporter: sms('葉俊男', '0912-000-111'), channel: 'phone', attributes: { blockingRoad: 'none' } }, steps: [ACK, { action: 'resolve', resolution: '已修剪斷枝並通知台電檢查線路。' }] },

  // Returned to dispatch: not the department's case.
  { key: 'arcade-yangmei', by: 'agent1', body: { category: 'arcade-obstruction', description: '騎樓被機車佔滿，無法通行。', location: { district: 'yangmei', address: '楊梅區中山路 50 號騎樓', lat: 24.9116, lng: 121.1462 }, reporter: sms('羅志成', '0912-000-112'), channel: 'phone', attributes: { obstructionType: 'vehicles' } }, steps: [{ action: 'return', reason: '騎樓停放機車屬警察局違規停車業務，請改派。' }] },
  { key: 'drain-dayuan', by: 'agent2', body: { category: 'blocked-drain', description: '農田灌溉渠道堵塞溢流到道路。', location: { district: 'dayuan', address: '大園區大觀路 (灌溉渠旁)', lat: 25.0531, lng: 121.2155 }, reporter: quiet('游明德', '03-386-0006'), channel: 'phone', attributes: { flooding: 'yes' } }, steps: [{ action: 'return', reason: '灌溉渠道由農田水利署管理，非本局權責。' }] },

  // Cancelled and merged.
  { key: 'light-bade-cancel', by: 'agent1', body: { category: 'street-light', description: '路燈不亮 (民眾來電後表示已恢復)。', location: { district: 'bade', address: '八德區興豐路 600 號前', lat: 24.9446, lng: 121.2983 }, reporter: quiet('陳美玲', '03-368-0007'), channel: 'phone', attributes: { lightState: 'dark' } }, steps: [{ action: 'cancel', reason: '民眾回電表示路燈已恢復正常。' }] },
  { key: 'litter-guanyin-cancel', by: 'agent2', body: { category: 'litter', description: '海邊有大量垃圾 (重複通報，已另案處理)。', location: { district: 'guanyin', address: '觀音區觀音海水浴場', lat: 25.0445, lng: 121.0812 }, reporter: anonymous, channel: 'line', attributes: { wasteType: 'other' } }, steps: [{ action: 'cancel', reason: '與另一件淨灘活動案件重複，撤銷本案。' }] },
  { key: 'pothole-taoyuan-dup', by: 'agent1', body: { category: 'pothole', description: '中正路民生路口坑洞 (另一位民眾通報同一處)。', location: { district: 'taoyuan', address: '桃園區中正路與民生路口', lat: 24.9937, lng: 121.3009 }, reporter: sms('曾國華', '0912-000-113'), channel: 'phone', attributes: { size: 'large', dangerous: 'yes' } }, steps: [{ action: 'merge', into: 'pothole-taoyuan' }] },

  // A consultation answered on the call, and a case filed by an Open311 app.
  { key: 'epidemic-info', by: 'agent2', body: { category: 'epidemic-info', description: '詢問流感疫苗接種地點與時間。', location: { district: 'zhongli', address: '中壢區 (電話諮詢)' }, reporter: anonymous, channel: 'phone', attributes: { topic: 'vaccination' } }, steps: [{ action: 'note', text: '已告知各區衛生所接種時間，民眾無其他問題。' }] },
  { key: 'light-daxi-note', by: 'agent1', body: { category: 'street-light', description: '康莊路路燈不亮，附近是學生上學路線。', location: { district: 'daxi', address: '大溪區康莊路 (大溪國中旁)', lat: 24.8802, lng: 121.2891 }, reporter: mail('林思妤', 'si-yu.lin@example.org'), channel: 'web', attributes: { lightState: 'dark' } }, steps: [{ action: 'note', text: '民眾補充：路燈桿上有貼維修編號 大溪 1102。' }] },
];

export interface DemoSeedResult {
  /** true when an earlier start already seeded this data folder. */
  skipped: boolean;
  cases: number;
  /** Steps that could not be applied (e.g. a workflow that did not reach the awaited state in time). */
  warnings: string[];
  ms: number;
}

export interface SeedDemoOptions {
  apiUrl: string;
  token: (username: string) => Promise<string>;
  ddb: DynamoDBDocumentClient;
  tableName: string;
  log?: (line: string) => void;
  cases?: readonly DemoCase[];
  /** How long a case may take to reach the state a step needs (workflow running in the background). */
  stepTimeoutMs?: number;
}

interface CaseView {
  caseNo: string;
  status: string;
  department?: string;
  waitingFor?: string;
  version: number;
}

export async function seedDemoCases(options: SeedDemoOptions): Promise<DemoSeedResult> {
  const started = performance.now();
  const cases = options.cases ?? DEMO_CASES;
  const log = options.log ?? (() => undefined);
  const { Item: marker } = await options.ddb.send(new GetCommand({ TableName: options.tableName, Key: DEMO_MARKER_KEY }));
  if (marker?.status === 'done') return { skipped: true, cases: Number(marker.cases ?? 0), warnings: [], ms: Math.round(performance.now() - started) };
  await options.ddb.send(new PutCommand({ TableName: options.tableName, Item: { ...DEMO_MARKER_KEY, entity: 'LOCAL', status: 'seeding', startedAt: now().toISOString() } }));

  const tokens = new Map<string, Promise<string>>();
  const tokenFor = (u: string) => {
    let t = tokens.get(u);
    if (!t) tokens.set(u, (t = options.token(u)));
    return t;
  };
  const api = async (username: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${options.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${await tokenFor(username)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };

  // 1. Create every case (a few at a time: the agents' desks, not a load test).
  const created = new Map<string, CaseView>();
  const warnings: string[] = [];
  await inBatches(cases, 4, async (c) => {
    const res = await api(c.by, 'POST', '/cases', c.body, { 'idempotency-key': `demo-${c.key}` });
    if (res.status !== 201 && res.status !== 200) throw new Error(`Demo case ${c.key}: POST /cases answered ${res.status} ${JSON.stringify(res.body)}`);
    created.set(c.key, res.body as CaseView);
  });

  // 2. Move them along, each case's steps in order, cases side by side.
  const stepTimeoutMs = options.stepTimeoutMs ?? 5_000;
  let workflowStalled = false;
  const waitFor = async (caseNo: string, by: string, ready: (c: CaseView) => boolean): Promise<CaseView | undefined> => {
    const deadline = performance.now() + (workflowStalled ? 0 : stepTimeoutMs);
    for (;;) {
      const res = await api(by, 'GET', `/cases/${caseNo}`);
      if (res.status === 200 && ready(res.body as CaseView)) return res.body as CaseView;
      if (performance.now() > deadline) {
        workflowStalled = true;
        return undefined;
      }
      await new Promise((r) => setTimeout(r, 40));
    }
  };
  await inBatches(cases, 8, async (c) => {
    let current = created.get(c.key)!;
    for (const step of c.steps ?? []) {
      const staff = () => `${(current.department ?? '').toLowerCase()}.staff`;
      const waiting = (what: string) => (v: CaseView) => v.waitingFor === what;
      let outcome: { status: number; body?: unknown } | undefined;
      let view: CaseView | undefined;
      switch (step.action) {
        case 'note':
          outcome = await api(c.by, 'POST', `/cases/${current.caseNo}/notes`, { text: step.text });
          break;
        case 'cancel':
          outcome = await api(c.by, 'POST', `/cases/${current.caseNo}/cancel`, { reason: step.reason });
          break;
        case 'merge': {
          const parent = created.get(step.into);
          outcome = parent ? await api(c.by, 'POST', `/cases/${current.caseNo}/merge`, { parentCaseNo: parent.caseNo }) : undefined;
          break;
        }
        case 'acknowledge':
        case 'return':
          view = await waitFor(current.caseNo, c.by, waiting('acknowledgement'));
          if (view) {
            current = view;
            const body = step.action === 'return' ? { reason: step.reason } : {};
            outcome = await api(staff(), 'POST', `/cases/${current.caseNo}/${step.action}`, body, { 'if-match': String(current.version) });
          }
          break;
        case 'progress':
        case 'resolve':
          view = await waitFor(current.caseNo, c.by, (v) => v.status === 'ACKNOWLEDGED' && (step.action === 'progress' || v.waitingFor === 'resolution'));
          if (view) {
            current = view;
            const body = step.action === 'resolve' ? { resolution: step.resolution } : { note: step.text };
            outcome = await api(staff(), 'POST', `/cases/${current.caseNo}/${step.action}`, body, { 'if-match': String(current.version) });
          }
          break;
      }
      if (!outcome || outcome.status >= 300) {
        warnings.push(`${c.key} (${current.caseNo}): ${step.action} ${outcome ? `answered ${outcome.status} ${JSON.stringify(outcome.body)}` : 'skipped: the case did not reach the state it needs'}`);
        break;
      }
      const after = outcome.body as Partial<CaseView> | undefined;
      if (after && typeof after.version === 'number') current = { ...current, ...after };
    }
  });

  await options.ddb.send(
    new PutCommand({
      TableName: options.tableName,
      Item: { ...DEMO_MARKER_KEY, entity: 'LOCAL', status: 'done', cases: created.size, caseNos: [...created.values()].map((c) => c.caseNo), seededAt: now().toISOString() },
    }),
  );
  const ms = Math.round(performance.now() - started);
  log(`Demo data: ${created.size} cases created through the API in ${ms} ms${warnings.length ? ` (${warnings.length} steps not applied)` : ''}`);
  return { skipped: false, cases: created.size, warnings, ms };
}

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}
