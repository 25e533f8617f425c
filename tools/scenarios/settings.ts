/**
 * How the scenarios are played. The full run (`npm run scenarios`, the committed table) plays one
 * real second as a minute; the fast variant (the integration tests) compresses more and runs a few
 * at once. Each scenario runs its own runtime and database, so they do not share state.
 */
export const TIME_SCALES = { full: 60, fast: 120, fastParallel: 3 } as const;
