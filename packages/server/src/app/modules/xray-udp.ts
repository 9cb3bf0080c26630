import { DocumentIngest } from '../../ingest/xray/documents.js';
import { UdpReceiver } from '../../ingest/xray/udp-receiver.js';
import { defineModule } from '../module.js';

/** Segment-document parsing and its counts, shared by the UDP receiver and PutTraceSegments. */
export const documentsModule = defineModule({
  name: 'xray-documents',
  provides: ['documents'],
  async start(_given, { metrics, log }) {
    return { provides: { documents: new DocumentIngest(metrics, log) } };
  },
});

/** The X-Ray daemon protocol on UDP (`udp`; off when disabled). Stops first: no new input. */
export const udpReceiverModule = defineModule({
  name: 'xray-udp',
  needs: ['documents', 'pipeline'],
  async start({ documents, pipeline }, { config, log, metrics, addresses }) {
    if (!config.udp) return {};
    const udp = new UdpReceiver(documents, pipeline, log, metrics);
    try {
      addresses.set('udp', await udp.listen(config.udp, { receiveBufferBytes: config.ingest.udpReceiveBufferBytes }));
    } catch (err) {
      await udp.close();
      throw err;
    }
    return { stop: { input: () => udp.close() } };
  },
});
