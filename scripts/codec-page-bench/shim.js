// Node's globals that mqtt-packet (and its `bl`, `process-nextick-args`) expect, from the npm
// packages `buffer` and `process`; injected by esbuild (`--inject`) into the page's bundle.
import { Buffer } from 'buffer'
import process from 'process'
export { Buffer, process }
