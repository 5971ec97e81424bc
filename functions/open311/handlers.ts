/**
 * The Open311 routes, built from their ports so tests and the local cloud can hand in their own. The Lambda
 * modules (read-handler.ts, create-handler.ts) wire the production adapters.
 */
import type { ApiHandler } from '../api/http';
import { notFound } from './errors';
import { fileRequest, type FileRequestPorts } from './file-request';
import { open311Handler } from './http';
import { discovery, request, requests, serviceDefinition, services, token, updates, type Open311ReadPorts } from './read';
import type { Open311Settings } from './settings';

/** GET discovery, services, services/{code}, requests, requests/{id}, tokens/{token}, servicerequestupdates. */
export function open311ReadHandler(ports: Open311ReadPorts): ApiHandler {
  return open311Handler(() => ports.settings, {
    open311Document: async ({ name, query, endpointUrl }) => {
      switch (name) {
        case 'discovery':
          return { document: await discovery(ports, endpointUrl) };
        case 'services':
          return { document: await services(ports) };
        case 'requests':
          return { document: await requests(ports, query) };
        case 'servicerequestupdates':
          return { document: await updates(ports, query) };
        default:
          throw notFound(`No Open311 resource ${name}: discovery, services, requests and servicerequestupdates are served`);
      }
    },
    open311ServiceDefinition: async ({ name }) => ({ document: await serviceDefinition(ports, name) }),
    open311Request: async ({ name }) => ({ document: await request(ports, name) }),
    open311Token: async ({ name }) => ({ document: await token(ports, name) }),
  });
}

/** POST requests.xml / requests.json. */
export function open311CreateHandler(ports: FileRequestPorts, settings: Open311Settings): ApiHandler {
  return open311Handler(() => settings, {
    open311CreateRequest: async ({ name, form, media }) => {
      if (name !== 'requests') throw notFound(`No Open311 resource ${name} accepts a POST: post to requests.xml or requests.json`);
      return { document: await fileRequest(ports, form, media) };
    },
  });
}
