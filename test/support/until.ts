/**
 * Waits until `done()` holds, or `timeoutMs` passed (the caller's assertion then says what did not
 * happen). A loaded machine delays timers and threads; a fixed sleep would make a spec flaky.
 */
export const until = async (done: () => boolean, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
};
