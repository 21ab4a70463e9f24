// Types of http-server.mjs.
import type { Server } from 'node:http';

export declare function listen(server: Server, port: number, host: string): Promise<string>;
export declare function portInUse(port: number, host: string, cause: unknown): Error & { code: 'EADDRINUSE' };
export declare function closeServer(server: Server): Promise<void>;
