export { startVirtualDisplay, type VirtualDisplay } from './virtual-display.js';
