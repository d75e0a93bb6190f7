// Runs the StateStore contract suite against the in-memory store.
import { stateStoreContractSuite } from './state-store-contract.ts';
import { memoryStoreFactory } from './memory-store.ts';

stateStoreContractSuite('memory', async () => {
  const factory = memoryStoreFactory();
  return { factory, durable: false, cleanup: () => factory.close() };
});
