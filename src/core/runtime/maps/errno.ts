/**
 * Linux errno values as the bpf() syscall and the map helpers return them
 * (helpers return them negated, e.g. -EEXIST). Numbers are the x86-64 / generic
 * asm-generic/errno*.h values; ENOTSUPP is the kernel-internal 524 that leaks
 * out of BPF_MAP_CREATE for LRU maps without preallocation.
 */
export const EPERM = 1;
export const ENOENT = 2;
export const E2BIG = 7;
export const EBADF = 9;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const EINVAL = 22;
export const ENOSPC = 28;
export const ERANGE = 34;
export const EOPNOTSUPP = 95;
export const EOVERFLOW = 75;
export const ENOTSUPP = 524;

const NAMES: Record<number, string> = {
  [EPERM]: 'EPERM',
  [ENOENT]: 'ENOENT',
  [E2BIG]: 'E2BIG',
  [EBADF]: 'EBADF',
  [EAGAIN]: 'EAGAIN',
  [ENOMEM]: 'ENOMEM',
  [EFAULT]: 'EFAULT',
  [EBUSY]: 'EBUSY',
  [EEXIST]: 'EEXIST',
  [ENODEV]: 'ENODEV',
  [EINVAL]: 'EINVAL',
  [ENOSPC]: 'ENOSPC',
  [ERANGE]: 'ERANGE',
  [EOPNOTSUPP]: 'EOPNOTSUPP',
  [EOVERFLOW]: 'EOVERFLOW',
  [ENOTSUPP]: 'ENOTSUPP',
};

/** "EEXIST" for 17 or -17; "E<n>" for numbers this table does not know. */
export function errnoName(errno: number): string {
  const n = Math.abs(errno);
  return NAMES[n] ?? `E${n}`;
}

/** The errno whose name is given ("EEXIST" -> 17), or undefined. */
export function errnoByName(name: string): number | undefined {
  for (const [num, n] of Object.entries(NAMES)) if (n === name) return Number(num);
  return undefined;
}
