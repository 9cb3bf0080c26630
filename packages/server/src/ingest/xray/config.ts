import { defineSettings, setting } from '../../config/settings.js';

/** The X-Ray daemon-protocol UDP receiver. */
export const XRAY_INGEST_SETTINGS = defineSettings({
  udp: setting.address({
    default: '127.0.0.1:2000',
    description: 'UDP address for X-Ray daemon-protocol segments (what `AWS_XRAY_DAEMON_ADDRESS` points at).',
  }),
  ingest: {
    udpReceiveBufferBytes: setting.bytes({
      default: 32 * 1024 ** 2,
      min: 64 * 1024,
      description: 'Socket receive buffer asked for the UDP listener (the kernel may cap it: net.core.rmem_max).',
    }),
  },
});
