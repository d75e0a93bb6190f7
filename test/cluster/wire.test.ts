// The inter-node JSON: ksqlDB's documented bodies parse and render back byte for byte; our extra
// time-lag fields round-trip and vanish when absent; malformed bodies fail naming the field.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { partitionLag } from '../../src/cluster/lag.ts';
import {
  parseClusterStatusResponse,
  parseHeartbeatRequest,
  parseLagReportRequest,
  parseOkResponse,
  renderClusterStatusResponse,
  renderHeartbeatRequest,
  renderLagReportRequest,
  renderOkResponse,
  WireFormatError,
} from '../../src/cluster/wire.ts';

// Verbatim from ksqlDB's documentation of the endpoints.
const HEARTBEAT = '{"hostInfo":"10.0.0.5:8088","timestamp":1617609098808}';
const LAG =
  '{"ksqlHost":"10.0.0.5:8088","hostStoreLags":{"stateStoreLags":{"CTAS_T_3#Aggregate-Materialize":{"lagByPartition":{"0":{"currentOffsetPosition":1,"endOffsetPosition":1,"offsetLag":0}},"size":1}},"updateTimeMs":1617609168917}}';
const CLUSTER_STATUS =
  '{"clusterStatus":{"localhost:8088":{"hostAlive":true,"lastStatusUpdateMs":1617609098808,"activeStandbyPerQuery":{"CTAS_T_3":{"activeStores":["Aggregate-Materialize"],"activePartitions":[{"topic":"s","partition":1}],"standByStores":[],"standByPartitions":[]}},"hostStoreLags":{"stateStoreLags":{},"updateTimeMs":0}}}}';

describe('wire: ksqlDB shapes', () => {
  test('/heartbeat request and response', () => {
    const hb = parseHeartbeatRequest(JSON.parse(HEARTBEAT));
    assert.deepEqual(hb, { hostInfo: '10.0.0.5:8088', timestamp: 1617609098808 });
    assert.equal(JSON.stringify(renderHeartbeatRequest(hb)), HEARTBEAT);
    assert.equal(JSON.stringify(renderOkResponse()), '{"ok":true}');
    assert.equal(parseOkResponse({ ok: true }), true);
    assert.deepEqual(parseHeartbeatRequest({ hostInfo: { host: 'h', port: 8088 }, timestamp: 1 }).hostInfo, 'h:8088');
    assert.equal(parseHeartbeatRequest({ hostInfo: '[::1]:8088', timestamp: 1 }).hostInfo, '[::1]:8088');
  });

  test('/lag request round-trips exactly', () => {
    const report = parseLagReportRequest(JSON.parse(LAG));
    assert.equal(report.host, '10.0.0.5:8088');
    assert.equal(report.updateTimeMs, 1617609168917);
    assert.deepEqual(report.stores.get('CTAS_T_3#Aggregate-Materialize')?.get(0), { currentOffsetPosition: 1, endOffsetPosition: 1, offsetLag: 0 });
    assert.equal(JSON.stringify(renderLagReportRequest(report)), LAG);
  });

  test('/lag carries time lag and input lag when known', () => {
    const report = {
      host: 'a:1',
      updateTimeMs: 5,
      stores: new Map([['Q#s', new Map([[2, partitionLag(3, 9, { timeLagMs: 40, inputOffsetLag: 7, inputTimeLagMs: 120 })]])]]),
    };
    const json = JSON.parse(JSON.stringify(renderLagReportRequest(report)));
    assert.deepEqual(json.hostStoreLags.stateStoreLags['Q#s'].lagByPartition['2'], {
      currentOffsetPosition: 3,
      endOffsetPosition: 9,
      offsetLag: 6,
      timeLagMs: 40,
      inputOffsetLag: 7,
      inputTimeLagMs: 120,
    });
    assert.deepEqual(parseLagReportRequest(json), report);
  });

  test('/clusterStatus round-trips exactly', () => {
    const status = parseClusterStatusResponse(JSON.parse(CLUSTER_STATUS));
    const host = status.get('localhost:8088')!;
    assert.equal(host.hostAlive, true);
    assert.deepEqual(host.activeStandbyPerQuery.get('CTAS_T_3')?.activePartitions, [{ topic: 's', partition: 1 }]);
    assert.equal(JSON.stringify(renderClusterStatusResponse(status)), CLUSTER_STATUS);
  });

  test('malformed bodies fail naming the field and what was expected', () => {
    const cases: [unknown, RegExp][] = [
      [null, /\$ must be an object, got null/],
      [{ hostInfo: 'nohostport', timestamp: 1 }, /hostInfo must be "host:port", got "nohostport"/],
      [{ hostInfo: 'h:99999', timestamp: 1 }, /hostInfo must be "host:port"/],
      [{ hostInfo: 'h:1', timestamp: -1 }, /timestamp must be an integer >= 0, got -1/],
      [{ hostInfo: 'h:1' }, /timestamp must be an integer >= 0, got nothing/],
    ];
    for (const [body, re] of cases) assert.throws(() => parseHeartbeatRequest(body), (e: unknown) => e instanceof WireFormatError && re.test(e.message));
    const lag = JSON.parse(LAG);
    lag.hostStoreLags.stateStoreLags['CTAS_T_3#Aggregate-Materialize'].lagByPartition['0'].offsetLag = 'x';
    assert.throws(
      () => parseLagReportRequest(lag),
      /hostStoreLags\.stateStoreLags\["CTAS_T_3#Aggregate-Materialize"\]\.lagByPartition\["0"\]\.offsetLag must be an integer >= 0, got "x"/,
    );
    assert.throws(() => parseLagReportRequest({ ksqlHost: 'a:1', hostStoreLags: { stateStoreLags: { nohash: { lagByPartition: {} } }, updateTimeMs: 0 } }), /<queryId>#<storeName>/);
    assert.throws(
      () => parseLagReportRequest({ ksqlHost: 'a:1', hostStoreLags: { stateStoreLags: { 'q#s': { lagByPartition: { '-1': {} } } }, updateTimeMs: 0 } }),
      /partition number/,
    );
    const cs = JSON.parse(CLUSTER_STATUS);
    cs.clusterStatus['localhost:8088'].hostAlive = 'yes';
    assert.throws(() => parseClusterStatusResponse(cs), /clusterStatus\["localhost:8088"\]\.hostAlive must be true or false/);
    assert.throws(() => parseOkResponse({ ok: false }), /ok must be true/);
  });
});
