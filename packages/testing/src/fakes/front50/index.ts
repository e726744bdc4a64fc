export { FakeFront50Snapshots, type FakeSnapshot } from './fake-front50-snapshots.js';
