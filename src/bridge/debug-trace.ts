/**
 * Reading a debug trace on the main thread: the pure functions of the core's
 * trace view, passed through so the app keeps reaching the core only via
 * the bridge (DESIGN.md layers).
 */
export {
  describePlace,
  describePointer,
  nextBreakpoint,
  positionCount,
  regionBytesAt,
  registerValue,
  stackRegion,
  writesAt,
  type RegisterValue,
} from '../core/interp/trace-view.ts';
