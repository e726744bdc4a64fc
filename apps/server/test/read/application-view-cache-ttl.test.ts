import { ApplicationGenerations, OPEN_ACCESS } from '@stratus/core';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { applicationViewCache } from '../../src/http/application-view-cache.js';
import { grantCallerAccess } from '../../src/http/caller-access-middleware.js';

const poll = async (app: express.Express) =>
  JSON.parse((await request(app).get('/applications/shop/serverGroups').set('Accept-Encoding', 'identity')).text) as unknown;

/** A bare app: the view cache in front of a handler that counts how often it really builds the view. */
function appWith(options: { ttlMs: number; now: () => number }) {
  const generations = new ApplicationGenerations();
  generations.tracking = true;
  const built = { count: 0 };
  const app = express();
  app.use(grantCallerAccess(OPEN_ACCESS));
  app.use(applicationViewCache({ generations, ...options }));
  app.get('/applications/:app/serverGroups', (_req, res) => {
    built.count++;
    res.json([{ name: 'shop-v001', build: built.count }]);
  });
  return { app, built, generations };
}

describe('application view cache time to live', () => {
  it('serves a view while it is younger than the time to live, then builds it again', async () => {
    let clock = 0;
    const { app, built } = appWith({ ttlMs: 60_000, now: () => clock });
    await request(app).get('/applications/shop/serverGroups');
    clock = 59_999;
    expect(await poll(app)).toEqual([{ name: 'shop-v001', build: 1 }]);
    clock = 60_000;
    expect(await poll(app)).toEqual([{ name: 'shop-v001', build: 2 }]);
    expect(built.count).toBe(2);
  });

  it('a write to the application rebuilds at once, whatever the time to live', async () => {
    const { app, built, generations } = appWith({ ttlMs: 3_600_000, now: () => 0 });
    await request(app).get('/applications/shop/serverGroups');
    generations.bump(['shop']);
    expect(await poll(app)).toEqual([{ name: 'shop-v001', build: 2 }]);
    expect(built.count).toBe(2);
  });
});
