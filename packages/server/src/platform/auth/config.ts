import { defineSettings, setting } from '../../config/settings.js';

/** Access keys, and the operator's consent to run without them on a wide address. */
export const AUTH_SETTINGS = defineSettings({
  auth: {
    keysFile: setting.string({
      default: '',
      allowEmpty: true,
      description:
        'YAML file of access keys (id, secret, roles: ingest, read, admin). With keys, every API call must be signed (SigV4, Bearer or Basic); without, Fluoro serves loopback only.',
    }),
  },
  tls: {
    certFile: setting.string({
      default: '',
      allowEmpty: true,
      description:
        'PEM certificate (chain) for the HTTP, OTLP/HTTP, Zipkin and OTLP/gRPC listeners; with tls.keyFile they serve TLS only. Reloaded on SIGHUP (HTTP listeners).',
    }),
    keyFile: setting.string({ default: '', allowEmpty: true, description: 'PEM private key of tls.certFile.' }),
    clientCaFile: setting.string({
      default: '',
      allowEmpty: true,
      description: 'PEM CA certificates: when set, clients must present a certificate one of them signed (mutual TLS).',
    }),
  },
  insecure: setting.bool({
    default: false,
    description: 'Allow listeners on non-loopback addresses without access keys: anyone who can reach them can read and change everything.',
  }),
});
