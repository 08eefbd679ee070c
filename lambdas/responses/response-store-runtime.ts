import { onClient } from '../store/client.js';
import { ResponseStore } from './response-store.js';

/** This process's store of responses, on the current DynamoDB client. */
export const responseStore = onClient((client, table) => new ResponseStore(client, table));
