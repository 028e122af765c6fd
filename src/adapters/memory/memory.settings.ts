import { integer, type ValuesOf } from '../../app/config.ts';

export const memorySettings = {
  maxRooms: {
    flag: 'max-rooms',
    env: ['HUBBUB_MAX_ROOMS'],
    fallback: '1000',
    help: 'rooms the memory engine keeps; past it the least recently used room without members is forgotten, and a new room is refused when every room has members',
    parse: integer(1, 10_000_000),
  },
} as const;

export type MemorySettings = ValuesOf<typeof memorySettings>;
