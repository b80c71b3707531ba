/**
 * Waits until `done()` holds, or `timeoutMs` passed (the caller's assertion then says what did not
 * happen). A loaded machine delays timers and threads (two cores shared by CI and the suite's workers):
 * a fixed sleep would make a spec flaky, and a short bound too; a spec that holds returns at once.
 */
export const until = async (done: () => boolean, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
};
