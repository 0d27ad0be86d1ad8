/** ELF object loading: `loadObject(bytes)` -> ObjectSpec (see object-spec.ts). */
export { loadObject, objectName, type LoadObjectOptions } from './load-object.ts';
export type { ObjectSpec, ElfProgramSpec, ElfMapSpec, FuncInfo, LineInfo, CoreRelocResult, LoadObjectResult, MapSlotInit } from './object-spec.ts';
export { sectionDef, type SectionDef } from './section-types.ts';
export { programBundle, type Bundle, type BundleMap, type BundleOptions } from './bundle.ts';
export { internalMapName } from './maps-data.ts';
